package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.HttpClients;
import dev.sluice.activities.http.HttpJobActivitiesImpl;
import dev.sluice.activities.http.ProviderClients;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.sandbox.SalesforceStats;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxMain;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.starter.spec.PipelineLoader;
import dev.sluice.workers.ActivityLibrary;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import dev.sluice.workflows.activities.Messages.SubmitResult;
import dev.sluice.workflows.asyncingest.AsyncIngestInput;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflow;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflowImpl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Salesforce example run by the real workflow and the worker's activities while the provider's
 * answer to a submit is held up after the provider created the job: the run stops waiting for
 * that attempt (it is cancelled, or the attempt times out and the submit fails for good) and
 * reads the submit receipt before the attempt can write it. The receipt read closes it; the
 * attempt, answered late, finds it closed and aborts the job it was given. One job, aborted, and
 * nothing published; or, when a retry was answered first, the retry's job used and the late
 * attempt's twin aborted.
 */
class LateSubmitAnswerEndToEndTest {
  private static final String QUEUE = "late-submit";

  @TempDir Path work;

  private final SandboxConfig config = SandboxConfig.defaults();
  private SandboxServer sandbox;
  private TestWorkflowEnvironment testEnv;
  private HeldAnswers held;
  private final CompletableFuture<Object> lateAttempt = new CompletableFuture<>();

  @BeforeEach
  void start() {
    sandbox = SandboxServer.start(config);
  }

  @AfterEach
  void stop() {
    if (held != null) {
      held.releaseAll();
    }
    if (testEnv != null) {
      testEnv.close();
    }
    sandbox.close();
  }

  @Test
  void givenRunCancelledWhileSubmitAnswerHeld_whenItArrives_thenJobAbortedAndNothingPublished()
      throws Exception {
    AsyncIngestWorkflow workflow = startRun(new HeldAnswers(i -> true, i -> false));
    held.awaitCreated(0);

    WorkflowStub.fromTyped(workflow).cancel();
    WorkflowFailedException failed =
        catchThrowableOfType(
            WorkflowFailedException.class,
            () -> WorkflowStub.fromTyped(workflow).getResult(AsyncIngestResult.class));
    assertThat(failed).isNotNull();
    assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
    // The run is over: its clean-up read (and so closed) the receipt. Now the answer arrives.
    held.release(0);

    assertLateAttemptAbortedItsJob();
    assertThat(sandbox.salesforce().stats().jobs())
        .singleElement()
        .extracting(SalesforceStats.JobSummary::state)
        .isEqualTo("Aborted");
    assertNothingPublished();
  }

  @Test
  void givenSubmitAttemptTimesOutAndTheRetryIsRefused_whenTheLateAnswerArrives_thenTheJobIsAborted()
      throws Exception {
    // The first attempt's answer is held past its 30-second timeout; the retry is refused (a
    // non-retryable 400 that never reaches the provider), so the submit fails for good.
    AsyncIngestWorkflow workflow = startRun(new HeldAnswers(i -> i == 0, i -> i == 1));

    WorkflowFailedException failed =
        catchThrowableOfType(
            WorkflowFailedException.class,
            () -> WorkflowStub.fromTyped(workflow).getResult(AsyncIngestResult.class));
    assertThat(failed).isNotNull();
    assertThat(failed.getCause().getCause())
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("refused by the test");
    held.release(0);

    assertLateAttemptAbortedItsJob();
    assertThat(sandbox.salesforce().stats().jobs())
        .singleElement()
        .extracting(SalesforceStats.JobSummary::state)
        .isEqualTo("Aborted");
    assertNothingPublished();
  }

  @Test
  void givenAttemptTimesOutAndTheRetryIsAnswered_whenTheLateAnswerArrives_thenItsTwinIsAborted()
      throws Exception {
    AsyncIngestWorkflow workflow = startRun(new HeldAnswers(i -> i == 0, i -> false));

    AsyncIngestResult result =
        WorkflowStub.fromTyped(workflow).getResult(AsyncIngestResult.class);
    held.release(0);

    assertThat(lateAttempt.get(60, TimeUnit.SECONDS))
        .as("the late attempt returns the retry's job as reused")
        .isEqualTo(new SubmitResult(result.requestId(), true));
    SalesforceStats stats = sandbox.salesforce().stats();
    assertThat(stats.jobsCreated()).isEqualTo(2);
    // The run deleted its own job once published (cleanup.delete): what is left is the twin.
    assertThat(stats.jobs())
        .singleElement()
        .satisfies(
            twin -> {
              assertThat(twin.id()).isNotEqualTo(result.requestId());
              assertThat(twin.state()).as("the late attempt's twin").isEqualTo("Aborted");
            });
    assertThat(ParquetTables.contacts(work.resolve("out/salesforce-contacts")))
        .hasSize(sandbox.salesforce().contactCount());
  }

  private void assertLateAttemptAbortedItsJob() throws Exception {
    Object outcome = lateAttempt.get(60, TimeUnit.SECONDS);
    assertThat(outcome)
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            e -> {
              assertThat(e.getType()).isEqualTo("SubmitAbandoned");
              assertThat(e.isNonRetryable()).isTrue();
              assertThat(e.getOriginalMessage())
                  .matches("provider job \\S+ aborted: the provider accepted it after run .*");
            });
  }

  private void assertNothingPublished() throws IOException {
    Path table = work.resolve("out/salesforce-contacts");
    if (Files.exists(table)) {
      try (Stream<Path> files = Files.walk(table)) {
        assertThat(files.filter(f -> f.toString().endsWith(".parquet"))).isEmpty();
      }
    }
  }

  /**
   * Starts the example on a worker whose submit is the real activity with {@code held}'s client,
   * every other activity the worker's own.
   */
  private AsyncIngestWorkflow startRun(HeldAnswers answers) throws Exception {
    held = answers;
    Map<String, String> env = SandboxMain.exports(sandbox, config);
    HttpJobActivitiesImpl submits =
        new HttpJobActivitiesImpl(
            new ProviderClients(
                HttpClients.forWorker().newBuilder().addInterceptor(held).build(),
                new ObjectMapper(),
                new SecretResolver(env::get, "late-submit-test"),
                new SimpleMeterRegistry()),
            new HadoopFiles(HadoopFiles.defaultConfiguration(env::get)));
    testEnv =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new SubmitThrough(submits))
                        .build())
                .build());
    Worker worker = testEnv.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(AsyncIngestWorkflowImpl.class);
    ActivityLibrary.create(env::get, new SimpleMeterRegistry()).registerOn(worker);
    testEnv.start();
    Path pipeline = AsyncIngestEndToEndTest.examplePipeline(work, 1000);
    var spec = new PipelineLoader().load(pipeline).spec();
    AsyncIngestWorkflow workflow =
        testEnv
            .getWorkflowClient()
            .newWorkflowStub(
                AsyncIngestWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(QUEUE)
                    .setWorkflowId("ingest/salesforce-contacts/2026-11-22")
                    .build());
    WorkflowClient.start(workflow::run, AsyncIngestInput.of(spec, "2026-11-22"));
    return workflow;
  }

  /**
   * Runs every submit attempt through {@code submits} (the real activity, its client holding
   * answers) and keeps the outcome of the first: the attempt the run stops waiting for, whose
   * result no one else sees.
   */
  private final class SubmitThrough extends WorkerInterceptorBase {
    private final HttpJobActivitiesImpl submits;

    SubmitThrough(HttpJobActivitiesImpl submits) {
      this.submits = submits;
    }

    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
      return new ActivityInboundCallsInterceptorBase(next) {
        private ActivityExecutionContext context;

        @Override
        public void init(ActivityExecutionContext context) {
          this.context = context;
          super.init(context);
        }

        @Override
        public ActivityOutput execute(ActivityInput input) {
          if (!context.getInfo().getActivityType().equals("Submit")) {
            return super.execute(input);
          }
          boolean first = context.getInfo().getAttempt() == 1;
          try {
            Object result = submits.submit((SubmitRequest) input.getArguments()[0]);
            if (first) {
              lateAttempt.complete(result);
            }
            return new ActivityOutput(result);
          } catch (RuntimeException e) {
            if (first) {
              lateAttempt.complete(e);
            }
            throw e;
          }
        }
      };
    }
  }

  /**
   * The worker's side of Salesforce's {@code POST …/jobs/query}: the n-th request is sent and
   * answered (the job exists), then, if {@code hold} says so, its answer waits for {@link
   * #release}; if {@code refuse} says so, it is not sent and answered {@code 400} instead.
   */
  private static final class HeldAnswers implements Interceptor {
    private static final int MAX = 16;
    private final java.util.function.IntPredicate hold;
    private final java.util.function.IntPredicate refuse;
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch[] created = latches();
    private final CountDownLatch[] released = latches();

    HeldAnswers(java.util.function.IntPredicate hold, java.util.function.IntPredicate refuse) {
      this.hold = hold;
      this.refuse = refuse;
    }

    private static CountDownLatch[] latches() {
      CountDownLatch[] latches = new CountDownLatch[MAX];
      for (int i = 0; i < MAX; i++) {
        latches[i] = new CountDownLatch(1);
      }
      return latches;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
      if (!chain.request().method().equals("POST")
          || !chain.request().url().encodedPath().endsWith("/jobs/query")) {
        return chain.proceed(chain.request());
      }
      int n = requests.getAndIncrement();
      if (refuse.test(n)) {
        return new Response.Builder()
            .request(chain.request())
            .protocol(Protocol.HTTP_1_1)
            .code(400)
            .message("Bad Request")
            .body(
                ResponseBody.create(
                    "[{\"message\":\"refused by the test\",\"errorCode\":\"INVALIDJOB\"}]",
                    MediaType.get("application/json")))
            .build();
      }
      Response response = chain.proceed(chain.request());
      if (!hold.test(n)) {
        return response;
      }
      // Read now: the answer has arrived, the activity just does not see it yet.
      ResponseBody body = response.body();
      byte[] bytes = body == null ? new byte[0] : body.bytes();
      MediaType type = body == null ? null : body.contentType();
      created[n].countDown();
      try {
        released[n].await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("held answer interrupted");
      }
      return response.newBuilder().body(ResponseBody.create(bytes, type)).build();
    }

    void awaitCreated(int n) throws InterruptedException {
      created[n].await();
    }

    void release(int n) {
      released[n].countDown();
    }

    void releaseAll() {
      for (CountDownLatch latch : released) {
        latch.countDown();
      }
    }
  }
}
