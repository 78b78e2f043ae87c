package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.sandbox.MetaInsightsEmulator;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.starter.dev.DevEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/meta-ads-insights.yaml through {@code sluice run --wait} against the Meta Insights
 * emulation, whose report runs fail with "Please reduce the amount of data" over more days than a
 * limit: the window is split until every part succeeds, and the table holds the provider's rows
 * exactly once; a re-run of the window replaces them exactly.
 */
class MetaInsightsSplitEndToEndTest {
  static final String QUEUE = "e2e-meta";
  static final String WINDOW_END = "2026-11-25T00:00:00Z";
  static final LocalDate FIRST = LocalDate.parse("2026-11-21");
  static final LocalDate LAST = LocalDate.parse("2026-11-24");
  static final ObjectMapper JSON = new ObjectMapper();
  static DevEnvironment dev;

  @TempDir static Path work;

  @BeforeAll
  static void startStack() {
    dev = DevEnvironment.start(0, SandboxConfig.defaults().withSeed(21), QUEUE);
  }

  @AfterAll
  static void stopStack() {
    dev.close();
  }

  @BeforeEach
  void knobs() {
    meta().reset();
    meta().pollsBeforeComplete(2);
  }

  static MetaInsightsEmulator meta() {
    return dev.sandbox().meta();
  }

  /** The example over a 4-day window, polling fast, in a folder of its own. */
  static Path example(String dir) throws IOException {
    String yaml =
        Files.readString(Path.of("../examples/meta-ads-insights.yaml"))
            .replace("window: 7d", "window: 4d")
            .replace("interval: 5s", "interval: 100ms");
    Path folder = work.resolve(dir);
    Files.createDirectories(folder);
    Path file = folder.resolve("insights.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  static Cli run(Path pipeline) {
    return Cli.run(
        "run",
        pipeline.toString(),
        "--wait",
        "--logical-date",
        WINDOW_END,
        "--address",
        dev.temporal().address(),
        "--task-queue",
        QUEUE);
  }

  /** Each row as day, campaign and metrics, in day and campaign order. */
  static List<String> rows(Path table) throws SQLException {
    String sql =
        "SELECT CAST(date_start AS VARCHAR), CAST(date_stop AS VARCHAR), campaign_id,"
            + " CAST(impressions AS VARCHAR), CAST(clicks AS VARCHAR), CAST(spend AS VARCHAR)"
            + " FROM read_parquet('"
            + table
            + "/*.parquet') ORDER BY date_start, campaign_id";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        List<String> fields = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
          fields.add(rs.getString(i));
        }
        rows.add(String.join("\t", fields));
      }
      return rows;
    }
  }

  /** The provider's rows of the window, the same way. */
  static List<String> served() throws IOException {
    List<String> rows = new ArrayList<>();
    for (String text :
        meta().expectedDailyCampaignRows(MetaInsightsEmulator.AD_ACCOUNT_ID, FIRST, LAST)) {
      JsonNode row = JSON.readTree(text);
      rows.add(
          String.join(
              "\t",
              row.path("date_start").asText(),
              row.path("date_stop").asText(),
              row.path("campaign_id").asText(),
              row.path("impressions").asText(),
              row.path("clicks").asText(),
              row.path("spend").asText()));
    }
    return rows.stream().sorted().toList();
  }

  static long dataFiles(Path table) throws IOException {
    try (Stream<Path> files = Files.list(table)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).count();
    }
  }

  @Test
  void givenRunsFailingOverOneDay_whenFourDaysRun_thenSplitTwiceEveryRowOnceAndReRunReplaces()
      throws Exception {
    Path pipeline = example("split");
    Path table = pipeline.resolveSibling("out/meta-ads-insights");
    meta().maxDays(1);

    Cli first = run(pipeline);

    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    // The window's run, its two halves, then its four days.
    assertThat(meta().stats().runsCreated()).isEqualTo(7);
    assertThat(first.out())
        .contains("split into    4 provider jobs")
        .contains("[2026-11-21T00:00:00Z, 2026-11-22T00:00:00Z)")
        .contains("[2026-11-24T00:00:00Z, 2026-11-25T00:00:00Z)");
    List<String> expected = served();
    assertThat(expected).hasSize(4 * 3);
    assertThat(rows(table)).containsExactlyElementsOf(expected);
    assertThat(dataFiles(table)).isEqualTo(4);

    // The same window again, now split in two: its four files are replaced by two, no row twice.
    meta().maxDays(2);
    Cli again = run(pipeline);

    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
    assertThat(again.out()).contains("split into    2 provider jobs");
    assertThat(rows(table)).containsExactlyElementsOf(expected);
    assertThat(dataFiles(table)).isEqualTo(2);
  }

  @Test
  void givenPartsStillFailingAtMinWindow_whenRun_thenFailsNamingTheSmallestWindowPublishesNothing()
      throws Exception {
    Path pipeline = example("minimum");
    // Parts of two days at the least, and the provider takes one: the first half fails at 2d.
    Files.writeString(
        pipeline, Files.readString(pipeline).replace("minWindow: 1d", "minWindow: 2d"));
    meta().maxDays(1);

    Cli run = run(pipeline);

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.out() + run.err())
        .contains("split.minWindow (2d)")
        .contains("[2026-11-21T00:00:00Z, 2026-11-23T00:00:00Z) (2d)")
        .contains("reduce the amount of data");
    Path table = pipeline.resolveSibling("out/meta-ads-insights");
    assertThat(Files.isDirectory(table) && dataFiles(table) > 0).isFalse();
    // The window's run and its first half, nothing after: no report run is left in flight.
    assertThat(meta().stats().runsCreated()).isEqualTo(2);
    assertThat(meta().stats().runsInFlight()).isZero();
  }
}
