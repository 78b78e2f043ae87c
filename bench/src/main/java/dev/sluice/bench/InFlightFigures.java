package dev.sluice.bench;

import dev.sluice.sandbox.SalesforceStats;
import dev.sluice.starter.dev.LocalTemporal;
import dev.sluice.starter.dev.TemporalDevServer;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@link InFlightBench} measures and how it prints it. */
final class InFlightFigures {
  private InFlightFigures() {}

  /**
   * One phase's figures. {@code self}: this JVM (sandbox, and the embedded server when it is that
   * one); {@code server}: the dev server's own process, null for the embedded one.
   */
  static void report(
      String phase, Map<String, Long> worker, Map<String, Long> self, Map<String, Long> server) {
    double wall = worker.get("wallMillis") / 1e3;
    System.out.printf(
        Locale.ROOT,
        "%s (%.1f s): worker CPU %.1f%% of one core (%d ms; JIT compiler threads %.1f%%, the rest"
            + " %.1f%%), heap max before GC %s, max sampled %s, live after GC %s, committed %s, %d GCs"
            + " (%d ms), %d threads",
        phase,
        wall,
        100.0 * worker.get("cpuMillis") / worker.get("wallMillis"),
        worker.get("cpuMillis"),
        100.0 * worker.getOrDefault("jitCpuMillis", 0L) / worker.get("wallMillis"),
        100.0
            * (worker.get("cpuMillis") - worker.getOrDefault("jitCpuMillis", 0L))
            / worker.get("wallMillis"),
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

  /** Ready → first results request of every job, with a verdict against one interval. */
  static void latencies(SalesforceStats stats, int jobs, int interval) {
    List<Long> delays = new ArrayList<>();
    Instant firstReady = null;
    Instant lastResults = null;
    for (SalesforceStats.JobSummary job : stats.jobs()) {
      if (job.readyAt() != null && job.firstResultsAt() != null) {
        Instant ready = Instant.parse(job.readyAt());
        Instant results = Instant.parse(job.firstResultsAt());
        delays.add(Duration.between(ready, results).toMillis());
        firstReady = firstReady == null || ready.isBefore(firstReady) ? ready : firstReady;
        lastResults = lastResults == null || results.isAfter(lastResults) ? results : lastResults;
      }
    }
    System.out.printf(
        "jobs with readyAt and firstResultsAt: %d of %d; status polls %d (%.1f per job)%n",
        delays.size(),
        stats.jobs().size(),
        stats.statusPolls(),
        stats.statusPolls() / (double) jobs);
    if (delays.isEmpty()) {
      return;
    }
    long over = delays.stream().filter(d -> d > interval * 1000L).count();
    long p95 = Bench.percentile(delays, 95);
    System.out.printf(
        "ready -> extract start: min %d ms, p50 %d ms, p95 %d ms, p99 %d ms, max %d ms;"
            + " %d of %d over one poll interval (%d s); target p95 <= %d ms: %s%n",
        Bench.min(delays),
        Bench.percentile(delays, 50),
        p95,
        Bench.percentile(delays, 99),
        java.util.Collections.max(delays),
        over,
        delays.size(),
        interval,
        interval * 1000L,
        p95 <= interval * 1000L ? "met" : "NOT met");
    System.out.printf(
        "first job ready %s, last first-results %s (%.1f s)%n",
        firstReady, lastResults, Duration.between(firstReady, lastResults).toMillis() / 1e3);
  }

  /** History events of the first {@code sample} runs (their last run of a chain), min/mean/max. */
  static void historyEvents(WorkflowClient client, List<String> ids, int sample) {
    List<Long> counts = new ArrayList<>();
    for (String id : ids.subList(0, Math.min(sample, ids.size()))) {
      var events = client.fetchHistory(id).getEvents();
      counts.add((long) events.size());
      if (counts.size() == 1) {
        // One run's timeline: where its time went, event by event.
        long start = com.google.protobuf.util.Timestamps.toMillis(events.get(0).getEventTime());
        StringBuilder line = new StringBuilder("history of " + id + ":");
        for (var e : events) {
          line.append(
              String.format(
                  Locale.ROOT,
                  " %d:%s@%.1f",
                  e.getEventId(),
                  e.getEventType().name().replace("EVENT_TYPE_", ""),
                  (com.google.protobuf.util.Timestamps.toMillis(e.getEventTime()) - start) / 1e3));
        }
        System.out.println(line);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "history events per run (sample of %d): min %d, mean %.1f, max %d%n",
        counts.size(),
        Bench.min(counts),
        counts.stream().mapToLong(Long::longValue).average().orElse(0),
        java.util.Collections.max(counts));
  }

  /** CPU of the dev server's process between two {@link #window()} calls; none when embedded. */
  static final class ServerCpu {
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
