package dev.sluice.workers;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The console lines {@link RunLog} adds to a worker, with no workflow cache so that every workflow
 * task replays the run from its start: each line still appears once.
 */
class RunLogConsoleTest {
  static final String QUEUE = "run-log";

  @WorkflowInterface
  public interface Steps {
    @WorkflowMethod
    String run(int failures);
  }

  @ActivityInterface
  public interface Provider {
    String call(int failures);
  }

  public static class StepsImpl implements Steps {
    private final Provider provider =
        Workflow.newActivityStub(
            Provider.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofMillis(10))
                        .setMaximumAttempts(3)
                        .build())
                .build());

    @Override
    public String run(int failures) {
      // Three workflow tasks: each replays the ones before, with no cache.
      String first = provider.call(failures);
      Workflow.sleep(Duration.ofSeconds(1));
      return first + provider.call(0);
    }
  }

  static class FlakyProvider implements Provider {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public String call(int failures) {
      if (calls.getAndIncrement() < failures) {
        throw new IllegalStateException("provider unreachable");
      }
      return "ok";
    }
  }

  @Test
  void givenARunWithOneFailedAttemptAndNoCache_whenItCompletes_thenOneLineEachForStartFailureAndEnd()
      throws Exception {
    String console =
        console(
            () -> {
              try (TestWorkflowEnvironment env =
                  TestWorkflowEnvironment.newInstance(
                      TestEnvironmentOptions.newBuilder()
                          .setWorkerFactoryOptions(
                              WorkerFactoryOptions.newBuilder()
                                  .setWorkflowCacheSize(0)
                                  .setWorkerInterceptors(new RunLog())
                                  .build())
                          .build())) {
                Worker worker = env.newWorker(QUEUE);
                worker.registerWorkflowImplementationTypes(StepsImpl.class);
                worker.registerActivitiesImplementations(new FlakyProvider());
                env.start();
                Steps steps =
                    env.getWorkflowClient()
                        .newWorkflowStub(
                            Steps.class,
                            WorkflowOptions.newBuilder()
                                .setWorkflowId("ingest/flaky/2026-11-22")
                                .setTaskQueue(QUEUE)
                                .build());
                assertThat(steps.run(1)).isEqualTo("okok");
              }
            });

    List<String> all = console.lines().toList();
    // RunLog's own lines (the SDK's warning, on in this test JVM, quotes RunLog in its trace).
    List<String> lines = all.stream().filter(line -> line.contains("RunLog - ")).toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).endsWith("run ingest/flaky/2026-11-22 (Steps) started");
    assertThat(lines.get(1))
        .endsWith("run ingest/flaky/2026-11-22: Call attempt 1 failed: provider unreachable");
    assertThat(lines.get(2)).contains("run ingest/flaky/2026-11-22 (Steps) completed in ");
    int failure = all.indexOf(lines.get(1));
    assertThat(failure + 1 < all.size() ? all.get(failure + 1) : "")
        .as("RunLog's line carries no stack trace (without --debug)")
        .doesNotStartWith("\tat ")
        .doesNotStartWith("java.lang.IllegalStateException");
  }

  /** What {@code action} printed on System.err, where SLF4J's simple logger writes. */
  private static String console(ThrowingRunnable action) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    original.print(text);
    return text;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
