package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.platform.BatchSeed;
import dev.sluice.sandbox.platform.DatasetSeed;
import dev.sluice.sandbox.platform.FieldType;
import dev.sluice.sandbox.platform.PlatformEmulator;
import dev.sluice.starter.dev.DevEnvironment;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-runs and replays of a {@code platform-batches} source: each incremental window owns the batches
 * it read ({@code (<created>/<batchId>, <created>/<batchId>]}), so running an older window again,
 * or replaying it, reads exactly those batches again. The example {@code platform-to-parquet.yaml}
 * with hourly windows, over the sandbox's seeded event dataset (batches {@code e01} … {@code e04}
 * one hour apart from 2024-03-01T00:00:00Z, 20 rows a file, {@code e02} in two files); the table is
 * read back by DuckDB and compared row for row with what the batches hold.
 */
class PlatformWindowRangesEndToEndTest {
  private static final String QUEUE = "e2e-platform-windows";
  private static final String W1 = "2024-03-01T00:30:00Z";
  private static final String W2 = "2024-03-01T03:30:00Z";
  private static final String W3 = "2024-03-01T04:30:00Z";

  /** The seeded event batches: ID and number of files. */
  private static final Map<String, Integer> SEEDED =
      Map.of(
          "5eed00000000000000000e01", 1,
          "5eed00000000000000000e02", 2,
          "5eed00000000000000000e03", 1,
          "5eed00000000000000000e04", 1);

  private static final String E05 = "5eed00000000000000000e05";

  @TempDir Path work;
  private DevEnvironment dev;
  private Path pipeline;
  private Path table;

  @BeforeEach
  void startStack() throws Exception {
    dev = DevEnvironment.start(0, SandboxConfig.defaults(), QUEUE);
    pipeline = PlatformPipelinesEndToEndTest.examplePipeline(work.resolve("p"), "window: 1h");
    table = work.resolve("p/out/platform-events");
  }

  @AfterEach
  void stopStack() {
    dev.close();
  }

  private Cli sluice(String... head) {
    Cli cli =
        Cli.run(
            Stream.concat(
                    Stream.of(head),
                    Stream.of("--address", dev.temporal().address(), "--task-queue", QUEUE))
                .toArray(String[]::new));
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
    return cli;
  }

  private Cli run(String logicalDate) {
    return sluice("run", pipeline.toString(), "--wait", "--logical-date", logicalDate);
  }

  @Test
  void givenTwoWindowsRead_whenTheFirstIsRunAgainAndReplayed_thenTheTableStaysExactAndTheWatermarkStays()
      throws Exception {
    assertThat(run(W1).out()).contains("batches read  1 (1 source file): 5eed00000000000000000e01");
    assertThat(run(W2).out())
        .contains(
            "batches read  3 (4 source files): 5eed00000000000000000e02 .."
                + " 5eed00000000000000000e04");
    assertTableHolds("e01", "e02", "e03", "e04");

    Cli again = run(W1);

    assertThat(again.out())
        .contains("batches read  1 (1 source file): 5eed00000000000000000e01")
        .contains("replaced      20 rows in 1 file by 20 rows in 1 file (a re-run of the window");
    assertTableHolds("e01", "e02", "e03", "e04");

    // Both windows again, and the two hours between them, which never ran: a window never run
    // before reads after the table's watermark (nothing older), so it takes nothing here.
    Cli replay =
        sluice(
            "replay",
            pipeline.toString(),
            "--from",
            "2024-02-29T23:30:00Z",
            "--to",
            W2,
            "--parallel",
            "2",
            "--wait");

    assertThat(replay.out())
        .contains("succeeded 2024-03-01T00:30:00Z  20 rows")
        .contains("succeeded 2024-03-01T01:30:00Z  0 rows")
        .contains("succeeded 2024-03-01T02:30:00Z  0 rows")
        .contains("succeeded 2024-03-01T03:30:00Z  80 rows")
        .contains("4 of 4 windows succeeded");
    assertTableHolds("e01", "e02", "e03", "e04");

    // The watermark was not moved back: a new window reads only the batch that is new.
    dev.sandbox()
        .platform()
        .seedBatch(
            new BatchSeed(
                E05,
                PlatformEmulator.SEEDED_EVENTS,
                PlatformEmulator.SEEDED_EVENTS_FIRST_BATCH_MILLIS + 4 * 3_600_000L,
                1,
                20));
    assertThat(run(W3).out()).contains("batches read  1 (1 source file): " + E05);
    assertTableHolds("e01", "e02", "e03", "e04", "e05");
  }

  @Test
  void givenANewerWindowRanFirst_whenAnOlderOneRuns_thenItReadsItsOwnBatchesAndNothingIsLost()
      throws Exception {
    // As a replay two at a time may start them: the second hour first.
    assertThat(run("2024-03-01T01:30:00Z").out())
        .contains("batches read  1 (2 source files): 5eed00000000000000000e02");

    Cli older = run(W1);

    assertThat(older.out())
        .contains("batches read  1 (1 source file): 5eed00000000000000000e01")
        .doesNotContain("watermark ");
    assertTableHolds("e01", "e02");
    // The watermark stayed at e02: the next window reads e03 and e04, nothing twice.
    assertThat(run(W2).out())
        .contains(
            "batches read  2 (2 source files): 5eed00000000000000000e03 .."
                + " 5eed00000000000000000e04");
    assertTableHolds("e01", "e02", "e03", "e04");
    // And the older window, run again, reads exactly what it read.
    assertThat(run(W1).out()).contains("replaced      20 rows in 1 file by 20 rows in 1 file");
    assertTableHolds("e01", "e02", "e03", "e04");
  }

  /** The table holds exactly the rows of these batches (by their last three characters). */
  private void assertTableHolds(String... batches) throws Exception {
    List<Map<String, String>> expected = new ArrayList<>();
    for (String suffix : batches) {
      String batch = "5eed00000000000000000" + suffix;
      int files = batch.equals(E05) ? 1 : SEEDED.get(batch);
      for (int file = 0; file < files; file++) {
        for (int row = 0; row < 20; row++) {
          Map<String, String> r = new LinkedHashMap<>();
          r.put("eventId", seeded("eventId", FieldType.STRING, batch, file, row));
          r.put("eventType", seeded("eventType", FieldType.STRING, batch, file, row));
          r.put("value", seeded("value", FieldType.DOUBLE, batch, file, row));
          expected.add(r);
        }
      }
    }
    expected.sort(java.util.Comparator.comparing(r -> r.get("eventId")));
    assertThat(rows()).containsExactlyElementsOf(expected);
  }

  private static String seeded(String name, FieldType type, String batch, int file, int row) {
    return String.valueOf(
        PlatformEmulator.seededValue(new DatasetSeed.Field(name, type), batch, file, row));
  }

  private List<Map<String, String>> rows() throws Exception {
    String sql =
        "SELECT eventId, eventType, CAST(value AS VARCHAR) AS value FROM read_parquet('"
            + table
            + "/*.parquet') ORDER BY eventId";
    List<Map<String, String>> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("eventId", rs.getString(1));
        r.put("eventType", rs.getString(2));
        r.put("value", rs.getString(3));
        rows.add(r);
      }
    }
    return rows;
  }
}
