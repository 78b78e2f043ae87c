package dev.sluice.bench;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.starter.cli.PipelineRuns;
import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.starter.dev.EmbeddedTemporal;
import dev.sluice.starter.dev.LocalTemporal;
import dev.sluice.starter.dev.TemporalCli;
import dev.sluice.starter.dev.TemporalDevServer;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Many provider jobs in flight on one worker. The sandbox runs in this JVM, the worker ({@link
 * ProbedWorker}) in a child JVM so its CPU and heap are its own, and the Temporal server is either
 * the embedded test server (in this JVM) or the Temporal CLI's dev server (the real server, a
 * process of its own, in memory); {@code --server both} measures one after the other in one run.
 * The sandbox makes every job ready {@code --ready-after} seconds after its creation (polls never
 * do); each run polls every {@code --interval} seconds (backoff 1.0) and extracts a few rows.
 *
 * <p>Reports the worker's CPU and heap while every run waits, and for each job the delay from the
 * instant it became ready (sandbox: {@code readyAt}) to its first results request ({@code
 * firstResultsAt}), i.e. until the extract started. The example's {@code cleanup.delete} is
 * dropped, so finished jobs stay in the sandbox's stats to be read.
 *
 * <p>{@code --polling server|workflow|both} sets the pipeline's {@code status.polling}; with
 * {@code both}, each mode gets a fresh server. The dev server keeps its state in a fresh SQLite
 * file ({@code --db-dir}, default a temp directory) on {@code --port} (0: any free port). Runs are
 * started from {@code --start-threads} threads, so that starting them all takes less than
 * {@code --ready-after}, leaving a window in which every run only waits. History events per run
 * are counted over the first {@code --history-sample} runs.
 *
 * <p>Usage: {@code InFlightBench [--jobs 1000] [--ready-after 90] [--interval 5] [--rows-per-job
 * 100] [--worker-xmx 1g] [--worker-cache 600] [--server embedded|temporal-cli|both] [--polling
 * server|workflow|both] [--port 0] [--db-dir /tmp] [--start-threads 16] [--history-sample 20]
 * [--workflow-pollers 5] [--activity-pollers 5]}
 */
public final class InFlightBench {
  private static final String TASK_QUEUE = "bench-inflight";

  private InFlightBench() {}

  public static void main(String[] args) throws Exception {
    String servers = Bench.arg(args, "server", "embedded");
    List<String> kinds =
        servers.equals("both") ? List.of("embedded", "temporal-cli") : List.of(servers);
    System.out.println(Bench.environment());
    String pollings = Bench.arg(args, "polling", "both");
    List<String> modes =
        pollings.equals("both") ? List.of("server", "workflow") : List.of(pollings);
    for (String kind : kinds) {
      for (String polling : modes) {
        System.out.println();
        System.out.println("=== server: " + kind + ", status.polling: " + polling);
        System.out.println("load average before: " + Bench.loadAverage());
        Path db =
            java.nio.file.Files.createTempDirectory(
                    Path.of(Bench.arg(args, "db-dir", System.getProperty("java.io.tmpdir"))),
                    "sluice-inflight-db")
                .resolve("temporal.db");
        try (LocalTemporal temporal = start(kind, args, db)) {
          System.out.println("server: " + temporal.description());
          run(temporal, polling, args);
        } finally {
          Bench.deleteTree(db.getParent());
        }
        System.out.println("load average after: " + Bench.loadAverage());
      }
    }
    System.exit(0);
  }

  /**
   * The embedded test server, or the pinned Temporal CLI's dev server (headless, its state in the
   * SQLite file {@code db}).
   */
  private static LocalTemporal start(String kind, String[] args, Path db) {
    int port = Integer.parseInt(Bench.arg(args, "port", "0"));
    return switch (kind) {
      case "embedded" -> EmbeddedTemporal.start(0);
      case "temporal-cli" ->
          TemporalDevServer.start(
              TemporalCli.pinned(System.out::println),
              TemporalDevServer.Settings.defaults()
                  .withPort(port)
                  .withUiPort(port == 0 ? 0 : port + 1000)
                  .withDb(db)
                  .withHeadless(true));
      default -> throw new IllegalArgumentException("--server: embedded, temporal-cli or both");
    };
  }

  /**
   * The worker JVM's flags: {@code -Xmx} and those of {@code --worker-jvm-args} (separated by
   * spaces; e.g. {@code -XX:StartFlightRecording=filename=/tmp/worker.jfr,settings=profile} for a
   * profile of the worker).
   */
  private static List<String> workerJvmArgs(String xmx, String[] args) {
    List<String> flags = new ArrayList<>(List.of("-Xmx" + xmx));
    for (String flag : Bench.arg(args, "worker-jvm-args", "").trim().split("\\s+")) {
      if (!flag.isEmpty()) {
        flags.add(flag);
      }
    }
    return flags;
  }

  private static void run(LocalTemporal temporal, String polling, String[] args)
      throws Exception {
    int jobs = Integer.parseInt(Bench.arg(args, "jobs", "1000"));
    int readyAfter = Integer.parseInt(Bench.arg(args, "ready-after", "90"));
    int interval = Integer.parseInt(Bench.arg(args, "interval", "5"));
    int rowsPerJob = Integer.parseInt(Bench.arg(args, "rows-per-job", "100"));
    String xmx = Bench.arg(args, "worker-xmx", "1g");
    // The worker's SLUICE_WORKFLOW_CACHE_SIZE; the SDK default (600) is below 1,000 runs.
    String cache = Bench.arg(args, "worker-cache", "600");
    int startThreads = Integer.parseInt(Bench.arg(args, "start-threads", "16"));
    int historySample = Integer.parseInt(Bench.arg(args, "history-sample", "20"));
    System.out.printf(
        "InFlightBench jobs=%d readyAfter=%ds interval=%ds backoff=1.0 polling=%s rowsPerJob=%d"
            + " worker -Xmx%s, workflow cache %s, %d starting threads%n",
        jobs, readyAfter, interval, polling, rowsPerJob, xmx, cache, startThreads);

    SandboxConfig config =
        SandboxConfig.defaults()
            .withContactRecords(rowsPerJob)
            .withPollsBeforeReady(Integer.MAX_VALUE);
    PipelineSpec example =
        Bench.examplePipeline(
            yaml -> {
              String edited =
                  yaml.replace(
                          "interval: 2s",
                          "interval: " + interval + "s\n    polling: " + polling)
                      .replace("backoff: 1.5", "backoff: 1.0")
                      .replace(
                          "maxInterval: 30s", "maxInterval: " + Math.max(interval, 30) + "s")
                      .replaceAll(
                          "(?s)    # Removes the finished job.*?/jobs/query/\\$\\{requestId\\}\\n",
                          "");
              if (edited.contains("DELETE") || !edited.contains("backoff: 1.0")) {
                throw new IllegalStateException(
                    "the example pipeline changed: update InFlightBench");
              }
              return edited;
            });
    Path work = Bench.tempDir("sluice-inflight-bench");
    ProcessProbe self = new ProcessProbe();
    InFlightFigures.ServerCpu server = new InFlightFigures.ServerCpu(temporal);
    try (SandboxServer sandbox = SandboxServer.start(config)) {
      sandbox.salesforce().readyAfter(Duration.ofSeconds(readyAfter));
      if (Boolean.parseBoolean(Bench.arg(args, "ready-jitter", "false"))) {
        // Each job turns ready at its own uniform point within one interval after readyAfter, so
        // readiness falls anywhere between two of its checks, as a real job's does.
        sandbox.salesforce().readyJitter(Duration.ofSeconds(interval));
      }
      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
      WorkflowClient client =
          WorkflowClient.newInstance(
              service,
              WorkflowClientOptions.newBuilder().setNamespace(DevEnvironment.NAMESPACE).build());
      Map<String, String> env = new HashMap<>(DevEnvironment.sandboxEnvironment(sandbox, config));
      env.put("TEMPORAL_ADDRESS", temporal.address());
      env.put("SLUICE_TASK_QUEUE", TASK_QUEUE);
      env.put("SLUICE_WORKFLOW_CACHE_SIZE", cache);
      env.put("SLUICE_WORKFLOW_TASK_POLLERS", Bench.arg(args, "workflow-pollers", "5"));
      env.put("SLUICE_ACTIVITY_TASK_POLLERS", Bench.arg(args, "activity-pollers", "5"));
      System.out.println(
          "worker pollers: workflow tasks "
              + env.get("SLUICE_WORKFLOW_TASK_POLLERS")
              + ", activity tasks "
              + env.get("SLUICE_ACTIVITY_TASK_POLLERS"));
      try (ChildWorker worker =
          ChildWorker.start(workerJvmArgs(xmx, args), env, work.resolve("worker.log"))) {
        System.out.println(
            "worker pid "
                + worker.pid()
                + " "
                + worker.jvmArgs()
                + ", log "
                + work.resolve("worker.log"));
        report("worker idle", worker.mark(), null, null);
        self.window();
        server.window();

        Instant begin = Instant.now();
        List<String> ids = startAll(client, example, work, jobs, startThreads);
        Duration starting = Duration.between(begin, Instant.now());
        System.out.printf("started %d runs in %.1f s%n", jobs, starting.toMillis() / 1e3);
        // The waiting window starts once the provider has every job (the runs' submits lag the
        // starts) plus one interval, so that it holds status checks only, no start or submit.
        Instant waitEnd = begin.plusSeconds(readyAfter - 3);
        while (sandbox.salesforce().stats().jobsCreated() < jobs && Instant.now().isBefore(waitEnd)) {
          Thread.sleep(500);
        }
        System.out.printf(
            "the provider had %d jobs %.1f s after the first start%n",
            sandbox.salesforce().stats().jobsCreated(),
            Duration.between(begin, Instant.now()).toMillis() / 1e3);
        Thread.sleep(interval * 1000L);
        report("starting and submitting (+1 interval)", worker.mark(), self.window(), server.window());

        long pollsBefore = sandbox.salesforce().stats().statusPolls();
        long created = sandbox.salesforce().stats().jobsCreated();
        if (created == jobs && Instant.now().plusSeconds(10).isBefore(waitEnd)) {
          // The waiting time in --windows equal parts, each reported: a worker JVM a few minutes
          // old still compiles, and the later parts show the cost once that settles.
          int windows = Integer.parseInt(Bench.arg(args, "windows", "1"));
          long part = Duration.between(Instant.now(), waitEnd).toMillis() / windows;
          WorkerProfile profile =
              WorkerProfile.start(
                  Bench.arg(args, "worker-profile", ""), "waiting", worker.pid());
          for (int i = 1; i <= windows; i++) {
            Thread.sleep(part);
            long polls = sandbox.salesforce().stats().statusPolls() - pollsBefore;
            pollsBefore += polls;
            Map<String, Long> w = worker.mark();
            if (i == windows) {
              profile.stop();
            }
            report(
                "waiting, all in flight" + (windows == 1 ? "" : ", part " + i + " of " + windows),
                w,
                self.window(),
                server.window());
            System.out.printf(
                Locale.ROOT,
                "  status checks in the window: %d (%.1f/s; %d runs at one per %ds would be"
                    + " %.1f/s); worker CPU per check %.2f ms (%.2f ms without the JIT compiler"
                    + " threads)%n",
                polls,
                polls / (w.get("wallMillis") / 1e3),
                jobs,
                interval,
                jobs / (double) interval,
                w.get("cpuMillis") / (double) Math.max(1, polls),
                (w.get("cpuMillis") - w.get("jitCpuMillis")) / (double) Math.max(1, polls));
          }
        } else {
          System.out.println(
              "NOTE: the provider did not have every job 10 s before the first turned ready: no pure"
                  + " waiting window (raise --ready-after)");
        }

        int failed = 0;
        for (String id : ids) {
          try {
            client
                .newUntypedWorkflowStub(id)
                .getResult(10, TimeUnit.MINUTES, AsyncIngestResult.class);
          } catch (Exception e) {
            failed++;
            if (failed <= 3) {
              System.out.println("run " + id + " failed: " + e);
            }
          }
        }
        Duration total = Duration.between(begin, Instant.now());
        report(
            "ready, extracting, publishing (until the last result)",
            worker.mark(),
            self.window(),
            server.window());
        System.out.printf(
            "all %d runs finished %.1f s after the first start; %d failed%n",
            jobs, total.toMillis() / 1e3, failed);

        InFlightFigures.latencies(sandbox.salesforce().stats(), jobs, interval);
        InFlightFigures.historyEvents(client, ids, historySample);
      }
      service.shutdown();
    } finally {
      Bench.deleteTree(work);
    }
  }

  /** Starts {@code jobs} runs of {@code example} from {@code threads} threads; their IDs in order. */
  private static List<String> startAll(
      WorkflowClient client, PipelineSpec example, Path work, int jobs, int threads)
      throws Exception {
    Instant base = Instant.parse("2026-11-22T00:00:00Z");
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<String>> started = new ArrayList<>();
      for (int i = 0; i < jobs; i++) {
        int n = i;
        started.add(
            pool.submit(
                () ->
                    startRetrying(
                        client,
                        Bench.withSink(example, work.resolve("t" + n)),
                        base.plusSeconds(60L * n).toString())));
      }
      List<String> ids = new ArrayList<>();
      for (Future<String> f : started) {
        ids.add(f.get());
      }
      return ids;
    } finally {
      pool.shutdown();
    }
  }

  /**
   * Starts one run, retrying for up to 10 minutes while the server answers UNAVAILABLE (a dev
   * server on 2 loaded cores lost its shard for over a minute, the SDK's own retry limit, while
   * 10,000 runs were starting). A start that did reach the server before its answer was lost
   * finds its run already started: the run's ID is derived from its window, so that is the run.
   */
  private static String startRetrying(WorkflowClient client, PipelineSpec spec, String date)
      throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
    int retries = 0;
    while (true) {
      try {
        String id = PipelineRuns.start(client, TASK_QUEUE, spec, date);
        if (retries > 0) {
          System.out.println("start of " + date + " succeeded after " + retries + " retries");
        }
        return id;
      } catch (io.temporal.client.WorkflowExecutionAlreadyStarted e) {
        if (retries == 0) {
          throw e;
        }
        System.out.println("start of " + date + " had reached the server before: already started");
        return e.getExecution().getWorkflowId();
      } catch (io.temporal.client.WorkflowServiceException e) {
        if (!(e.getCause() instanceof io.grpc.StatusRuntimeException status)
            || status.getStatus().getCode() != io.grpc.Status.Code.UNAVAILABLE
            || System.nanoTime() > deadline) {
          throw e;
        }
        retries++;
        System.out.println("start of " + date + ": " + status.getMessage() + "; retrying");
        Thread.sleep(2000);
      }
    }
  }

  private static void report(
      String phase, Map<String, Long> worker, Map<String, Long> self, Map<String, Long> server) {
    InFlightFigures.report(phase, worker, self, server);
  }
}
