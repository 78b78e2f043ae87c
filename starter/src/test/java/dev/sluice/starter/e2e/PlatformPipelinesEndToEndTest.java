package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.platform.PlatformEmulator;
import dev.sluice.starter.cli.RunKind;
import dev.sluice.starter.cli.RunWatcher;
import dev.sluice.starter.cli.StatusCommand;
import dev.sluice.starter.dev.DevEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI driving platform-source pipelines on the embedded stack: the example {@code
 * platform-to-parquet.yaml} reads the sandbox's seeded event dataset (four successful batches, one
 * hour apart from 2024-03-01T00:00:00Z, 20 rows per file, the second batch in two files) through
 * {@code run}, {@code status} and {@code replay}; the output is read back with DuckDB.
 */
class PlatformPipelinesEndToEndTest {
  static final String QUEUE = "e2e-platform";
  static DevEnvironment dev;

  @TempDir static Path work;

  @BeforeAll
  static void startStack() {
    dev = DevEnvironment.start(0, SandboxConfig.defaults(), QUEUE);
  }

  @AfterAll
  static void stopStack() {
    dev.close();
  }

  /** The example, copied into {@code dir} (its table lands beside it) with another window. */
  static Path examplePipeline(Path dir, String window) throws IOException {
    String yaml = Files.readString(Path.of("../examples/platform-to-parquet.yaml"));
    assertThat(yaml).contains("window: 1d").contains(PlatformEmulator.SEEDED_EVENTS);
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve("events.yaml"), yaml.replace("window: 1d", window));
  }

  /** A command that starts runs: the stack's server and task queue. */
  static Cli sluice(String... head) {
    return Cli.run(
        Stream.concat(Stream.of(head), Stream.of("--task-queue", QUEUE)).toArray(String[]::new));
  }

  static Cli status(String id) {
    return Cli.run("status", id, "--address", dev.temporal().address());
  }

  @Test
  void givenPlatformSourcePipeline_whenRunAndStatusAsked_thenEveryBatchReadAndStatusSummarisesIt()
      throws Exception {
    Path pipeline = examplePipeline(work.resolve("run"), "window: 1d");
    String id = "ingest/platform-events/2024-03-02T00:00:00Z";

    Cli run =
        sluice(
            "run",
            pipeline.toString(),
            "--wait",
            "--logical-date",
            "2024-03-02T00:00:00Z",
            "--address",
            dev.temporal().address());
    Cli status = status(id);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("run " + id + " succeeded")
        .contains(
            "batches read  4 (5 source files): 5eed00000000000000000e01 .."
                + " 5eed00000000000000000e04")
        .contains("rows          100")
        .contains("deferral      landed 100, deferred 0, released 0, superseded 0, expired 0")
        .doesNotContain("more          yes");
    assertThat(rows(work.resolve("run/out/platform-events"))).isEqualTo(100);
    // status learns the workflow type from the server and reads the platform run's result.
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("run " + id + " succeeded")
        .contains("batches read  4 (5 source files)")
        .contains("rows          100");
    // What status reads from the run's start to say where expired deferred rows went.
    PipelineSpec started = StatusCommand.startedPipeline(dev.client(), id, RunKind.PLATFORM_INGEST);
    assertThat(started.name()).isEqualTo("platform-events");
    assertThat(RunWatcher.expiredTable(started))
        .endsWith("/run/out/platform-events/_sluice/deferred/_expired");
  }

  @Test
  void givenFourHourlyWindows_whenReplayedTwoAtATime_thenEachWindowReportedAndAllSucceed()
      throws Exception {
    // Windows end half past each hour, so each holds exactly one seeded batch, none on an edge.
    Path pipeline = examplePipeline(work.resolve("replay"), "window: 1h");
    String from = "2024-02-29T23:30:00Z";
    String to = "2024-03-01T03:30:00Z";
    String id = "replay/platform-events/" + from + "/" + to;

    Cli replay =
        sluice(
            "replay",
            pipeline.toString(),
            "--from",
            from,
            "--to",
            to,
            "--parallel",
            "2",
            "--wait",
            "--address",
            dev.temporal().address());
    Cli status = status(id);

    assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
    assertThat(replay.out())
        .contains("started " + id + ": 4 windows of PT1H")
        .contains("up to 2 at once")
        .contains("4 of 4 windows succeeded");
    List<String> table =
        replay.out().lines().dropWhile(l -> !l.startsWith("WINDOW END")).skip(1).toList();
    assertThat(table).hasSize(5).first().asString().startsWith("2024-03-01T00:30:00Z");
    // Which window reads which batch depends on which of two at once reads after the watermark
    // first (a window reads every batch after it up to its end); together they read each once.
    long perWindow =
        table.stream()
            .filter(l -> l.startsWith("2024-") && l.contains("succeeded"))
            .mapToLong(l -> Long.parseLong(l.trim().split(" +")[2]))
            .sum();
    assertThat(perWindow).isEqualTo(100);
    assertThat(rows(work.resolve("replay/out/platform-events"))).isEqualTo(100);
    assertThat(distinctEventIds(work.resolve("replay/out/platform-events"))).isEqualTo(100);
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out()).contains(id + ": completed").contains("4 of 4 windows succeeded");
  }

  private static long distinctEventIds(Path table) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(DISTINCT eventId) FROM read_parquet('" + table + "/*.parquet')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long rows(Path table) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(*) FROM read_parquet('" + table + "/*.parquet')")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
