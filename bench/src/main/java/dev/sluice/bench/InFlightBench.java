package dev.sluice.bench;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.sandbox.SalesforceStats;
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
 * <p>Usage: {@code InFlightBench [--jobs 1000] [--ready-after 90] [--interval 5] [--rows-per-job
 * 100] [--worker-xmx 1g] [--worker-cache 600] [--server embedded|temporal-cli|both]}
 */
public final class InFlightBench {
  private static final String TASK_QUEUE = "bench-inflight";

  private InFlightBench() {}

  public static void main(String[] args) throws Exception {
    String servers = Bench.arg(args, "server", "embedded");
    List<String> kinds =
        servers.equals("both") ? List.of("embedded", "temporal-cli") : List.of(servers);
    System.out.println(Bench.environment());
    for (String kind : kinds) {
      System.out.println();
      System.out.println("=== server: " + kind);
      System.out.println("load average before: " + Bench.loadAverage());
      try (LocalTemporal temporal = start(kind)) {
        System.out.println("server: " + temporal.description());
        run(temporal, args);
      }
      System.out.println("load average after: " + Bench.loadAverage());
    }
    System.exit(0);
  }

  /** The embedded test server, or the pinned Temporal CLI's dev server (in memory, no UI). */
  private static LocalTemporal start(String kind) {
    return switch (kind) {
      case "embedded" -> EmbeddedTemporal.start(0);
      case "temporal-cli" ->
          TemporalDevServer.start(
              TemporalCli.pinned(System.out::println),
              TemporalDevServer.Settings.defaults().withHeadless(true));
      default -> throw new IllegalArgumentException("--server: embedded, temporal-cli or both");
    };
  }

  private static void run(LocalTemporal temporal, String[] args) throws Exception {
    int jobs = Integer.parseInt(Bench.arg(args, "jobs", "1000"));
    int readyAfter = Integer.parseInt(Bench.arg(args, "ready-after", "90"));
    int interval = Integer.parseInt(Bench.arg(args, "interval", "5"));
    int rowsPerJob = Integer.parseInt(Bench.arg(args, "rows-per-job", "100"));
    String xmx = Bench.arg(args, "worker-xmx", "1g");
    // The worker's SLUICE_WORKFLOW_CACHE_SIZE; the SDK default (600) is below 1,000 runs.
    String cache = Bench.arg(args, "worker-cache", "600");
    System.out.printf(
        "InFlightBench jobs=%d readyAfter=%ds interval=%ds backoff=1.0 rowsPerJob=%d worker -Xmx%s,"
            + " workflow cache %s%n",
        jobs, readyAfter, interval, rowsPerJob, xmx, cache);

    SandboxConfig config =
        SandboxConfig.defaults()
            .withContactRecords(rowsPerJob)
            .withPollsBeforeReady(Integer.MAX_VALUE);
    PipelineSpec example =
        Bench.examplePipeline(
            yaml -> {
              String edited =
                  yaml.replace("interval: 2s", "interval: " + interval + "s")
                      .replace("backoff: 1.5", "backoff: 1.0")
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
    ServerCpu server = new ServerCpu(temporal);
    try (SandboxServer sandbox = SandboxServer.start(config)) {
      sandbox.salesforce().readyAfter(Duration.ofSeconds(readyAfter));
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
      try (ChildWorker worker =
          ChildWorker.start(List.of("-Xmx" + xmx), env, work.resolve("worker.log"))) {
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
        List<String> ids = new ArrayList<>();
        Instant base = Instant.parse("2026-11-22T00:00:00Z");
        for (int i = 0; i < jobs; i++) {
          ids.add(
              PipelineRuns.start(
                  client,
                  TASK_QUEUE,
                  Bench.withSink(example, work.resolve("t" + i)),
                  base.plusSeconds(60L * i).toString()));
        }
        Duration starting = Duration.between(begin, Instant.now());
        System.out.printf("started %d runs in %.1f s%n", jobs, starting.toMillis() / 1e3);
        Thread.sleep(10_000);
        report("starting (+10 s settling)", worker.mark(), self.window(), server.window());

        Instant waitEnd = begin.plusSeconds(readyAfter - 3);
        long pollsBefore = sandbox.salesforce().stats().statusPolls();
        long created = sandbox.salesforce().stats().jobsCreated();
        if (Instant.now().isBefore(waitEnd)) {
          Thread.sleep(Duration.between(Instant.now(), waitEnd).toMillis());
          long polls = sandbox.salesforce().stats().statusPolls() - pollsBefore;
          Map<String, Long> w = worker.mark();
          report("waiting, all in flight", w, self.window(), server.window());
          System.out.printf(
              Locale.ROOT,
              "  jobs created by then: %d; status polls in the window: %d (%.1f/s; %d runs at one"
                  + " per %ds would be %.1f/s)%n",
              created,
              polls,
              polls / (w.get("wallMillis") / 1e3),
              jobs,
              interval,
              jobs / (double) interval);
        } else {
          System.out.println(
              "NOTE: starting took longer than readyAfter - 13 s: no pure waiting window");
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

        SalesforceStats stats = sandbox.salesforce().stats();
        List<Long> delays = new ArrayList<>();
        Instant firstReady = null;
        Instant lastResults = null;
        for (SalesforceStats.JobSummary job : stats.jobs()) {
          if (job.readyAt() != null && job.firstResultsAt() != null) {
            Instant ready = Instant.parse(job.readyAt());
            Instant results = Instant.parse(job.firstResultsAt());
            delays.add(Duration.between(ready, results).toMillis());
            firstReady = firstReady == null || ready.isBefore(firstReady) ? ready : firstReady;
            lastResults =
                lastResults == null || results.isAfter(lastResults) ? results : lastResults;
          }
        }
        System.out.printf(
            "jobs with readyAt and firstResultsAt: %d of %d; status polls %d (%.1f per job)%n",
            delays.size(),
            stats.jobs().size(),
            stats.statusPolls(),
            stats.statusPolls() / (double) jobs);
        if (!delays.isEmpty()) {
          long over = delays.stream().filter(d -> d > interval * 1000L).count();
          System.out.printf(
              "ready -> extract start: min %d ms, p50 %d ms, p95 %d ms, p99 %d ms, max %d ms;"
                  + " %d of %d over one poll interval (%d s); target max <= %d ms: %s%n",
              Bench.min(delays),
              Bench.percentile(delays, 50),
              Bench.percentile(delays, 95),
              Bench.percentile(delays, 99),
              java.util.Collections.max(delays),
              over,
              delays.size(),
              interval,
              interval * 1000L,
              over == 0 ? "met" : "NOT met");
          System.out.printf(
              "first job ready %s, last first-results %s (%.1f s)%n",
              firstReady, lastResults, Duration.between(firstReady, lastResults).toMillis() / 1e3);
        }
      }
      service.shutdown();
    } finally {
      Bench.deleteTree(work);
    }
  }

  /**
   * One phase's figures. {@code self}: this JVM (sandbox, and the embedded server when it is that
   * one); {@code server}: the dev server's own process, null for the embedded one.
   */
  private static void report(
      String phase, Map<String, Long> worker, Map<String, Long> self, Map<String, Long> server) {
    double wall = worker.get("wallMillis") / 1e3;
    System.out.printf(
        Locale.ROOT,
        "%s (%.1f s): worker CPU %.1f%% of one core (%d ms), heap max before GC %s, max sampled %s,"
            + " live after GC %s, committed %s, %d GCs (%d ms), %d threads",
        phase,
        wall,
        100.0 * worker.get("cpuMillis") / worker.get("wallMillis"),
        worker.get("cpuMillis"),
        Bench.mib(worker.get("heapMaxBeforeGc")),
        Bench.mib(worker.get("heapMaxSampled")),
        Bench.mib(worker.get("heapMaxAfterGc")),
        Bench.mib(worker.get("heapMaxCommitted")),
        worker.get("gcCount"),
        worker.get("gcMillis"),
        worker.get("threads"));
    if (self != null) {
      System.out.printf(
          Locale.ROOT,
          " | %s JVM CPU %.1f%% of one core",
          server == null ? "server+sandbox" : "sandbox",
          100.0 * self.get("cpuMillis") / self.get("wallMillis"));
    }
    if (server != null) {
      System.out.printf(
          Locale.ROOT,
          " | dev server process CPU %.1f%% of one core",
          100.0 * server.get("cpuMillis") / server.get("wallMillis"));
    }
    System.out.println();
  }

  /** CPU of the dev server's process between two {@link #window()} calls; none when embedded. */
  private static final class ServerCpu {
    private final ProcessHandle process;
    private long cpuStart;
    private long wallStart;

    ServerCpu(LocalTemporal temporal) {
      process =
          temporal instanceof TemporalDevServer dev
              ? ProcessHandle.of(dev.pid()).orElse(null)
              : null;
    }

    /** CPU and wall millis since the last call, or null for the embedded server. */
    Map<String, Long> window() {
      if (process == null) {
        return null;
      }
      long cpu = process.info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
      long wall = System.currentTimeMillis();
      Map<String, Long> w = Map.of("cpuMillis", cpu - cpuStart, "wallMillis", wall - wallStart);
      cpuStart = cpu;
      wallStart = wall;
      return w;
    }
  }
}
