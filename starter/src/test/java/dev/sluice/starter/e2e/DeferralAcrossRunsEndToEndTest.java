package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.platform.ContentBatchSeed;
import dev.sluice.sandbox.platform.ContentBatchSeed.FileSeed;
import dev.sluice.sandbox.platform.PlatformEmulator;
import dev.sluice.starter.dev.DevEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deferral across two runs of a platform-source pipeline on the embedded stack, through the CLI: a
 * row whose required field is empty waits in the deferred table after run 1, and lands in run 2,
 * exactly once, when a newer batch brings the same key with the field filled. Read back with
 * DuckDB.
 */
class DeferralAcrossRunsEndToEndTest {
  static final String QUEUE = "e2e-deferral";
  static DevEnvironment dev;

  @TempDir static Path work;

  @BeforeAll
  static void startStack() {
    // Jobs ready at the first check: these runs prove what lands, not the polling.
    dev = DevEnvironment.start(0, SandboxConfig.defaults().withPollsBeforeReady(1), QUEUE);
  }

  @AfterAll
  static void stopStack() {
    dev.close();
  }

  @Test
  void givenRowDeferredInRunOne_whenItsFieldArrivesFilled_thenItLandsOnceInRunTwo()
      throws Exception {
    PlatformEmulator platform = dev.sandbox().platform();
    String dataset = PlatformEmulator.SEEDED_EVENTS;
    platform.seedContentBatch(
        batch(
            "defer-run1",
            dataset,
            "2025-01-01T01:00:00Z",
            event("d-1", "click", 1.0),
            event("d-2", null, 2.0)));
    Path pipeline = pipeline();

    Cli first = run(pipeline, "2025-01-02T00:00:00Z");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("deferral      landed 1, deferred 1, released 0, superseded 0, expired 0");
    assertThat(eventIds("out/events")).containsExactly("d-1");
    assertThat(eventIds("out/events/_sluice/deferred")).containsExactly("d-2");

    platform.seedContentBatch(
        batch(
            "defer-run2",
            dataset,
            "2025-01-02T01:00:00Z",
            event("d-2", "view", 2.5),
            event("d-3", "click", 3.0)));

    Cli second = run(pipeline, "2025-01-03T00:00:00Z");

    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out())
        .contains("deferral      landed 2, deferred 0, released 0, superseded 1, expired 0");
    assertThat(eventIds("out/events")).containsExactly("d-1", "d-2", "d-3");
    assertThat(types("out/events")).containsExactly("click", "view", "click");
    assertThat(eventIds("out/events/_sluice/deferred")).isEmpty();
  }

  private static Cli run(Path pipeline, String logicalDate) {
    return Cli.run(
        "run",
        pipeline.toString(),
        "--wait",
        "--logical-date",
        logicalDate,
        "--address",
        dev.temporal().address(),
        "--task-queue",
        QUEUE);
  }

  /** The example's connection, reading from the first window of the test's batches. */
  private static Path pipeline() throws Exception {
    String example = Files.readString(Path.of("../examples/platform-to-parquet.yaml"));
    String yaml =
        example
            .replace("name: platform-events", "name: deferral-events")
            .replace("path: out/platform-events", "path: out/events")
            .replace("requiredFields: [eventType, value]", "requiredFields: [eventType]")
            .replace("retention: 2d", "retention: 30d");
    assertThat(yaml).contains("name: deferral-events").contains("path: out/events");
    return Files.writeString(work.resolve("events.yaml"), yaml);
  }

  private static ContentBatchSeed batch(
      String id, String dataset, String created, Map<String, Object>... rows) {
    return new ContentBatchSeed(
        id,
        dataset,
        Instant.parse(created).toEpochMilli(),
        "success",
        List.of(FileSeed.parquet(id + ".parquet", List.of(rows))),
        List.of());
  }

  private static Map<String, Object> event(String id, String type, double value) {
    Map<String, Object> row = new HashMap<>();
    row.put("eventId", id);
    row.put("timestamp", "2025-01-01T00:30:00Z");
    row.put("eventType", type);
    row.put("value", value);
    return row;
  }

  private static List<String> eventIds(String table) throws Exception {
    return column(table, "eventId");
  }

  private static List<String> types(String table) throws Exception {
    return column(table, "eventType");
  }

  private static List<String> column(String table, String column) throws Exception {
    Path dir = work.resolve(table);
    List<String> values = new ArrayList<>();
    boolean any;
    try (var files = Files.list(dir)) {
      any = files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
    }
    if (!any) {
      return values;
    }
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duck.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT "
                    + column
                    + " FROM read_parquet('"
                    + dir
                    + "/*.parquet', union_by_name=true) ORDER BY eventId")) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }
}
