package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.GenericData;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.Surveys;
import dev.sluice.starter.dev.DevEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two-step ingestion end to end: the example survey pipeline run by the CLI against the sandbox's
 * survey list and exports, over the embedded Temporal server and a real worker; every partition
 * read back by DuckDB as one Hive-partitioned table.
 */
class WorkUnitsEndToEndTest {
  static final String QUEUE = "e2e-units";
  static final int ROWS_PER_SURVEY = 30;
  static final long SEED = 7;
  static DevEnvironment dev;

  @TempDir static Path work;

  @BeforeAll
  static void startStack() {
    dev =
        DevEnvironment.start(
            0,
            // Ready at the first status check: no unit waits on a 5s poll timer.
            SandboxConfig.defaults()
                .withSeed(SEED)
                .withEventRecords(ROWS_PER_SURVEY)
                .withPollsBeforeReady(1),
            QUEUE);
  }

  @AfterAll
  static void stopStack() {
    dev.close();
  }

  @BeforeEach
  void resetSandbox() {
    dev.sandbox().generic().reset();
  }

  /** The example pipeline, copied into {@code dir}, with {@code maxUnitsPerRun} set. */
  static Path surveyPipeline(Path dir, int maxUnitsPerRun) throws IOException {
    String yaml = Files.readString(Path.of("../examples/generic-survey-responses.yaml"));
    Files.createDirectories(dir);
    Path file = dir.resolve("surveys.yaml");
    Files.writeString(
        file, yaml.replace("maxUnitsPerRun: 0 ", "maxUnitsPerRun: " + maxUnitsPerRun + " "));
    return file;
  }

  static Cli run(Path pipeline, String logicalDate) {
    return Cli.run(
        Stream.of(
                "run",
                pipeline.toString(),
                "--wait",
                "--logical-date",
                logicalDate,
                "--address",
                dev.temporal().address(),
                "--task-queue",
                QUEUE)
            .toArray(String[]::new));
  }

  /** Rows and smallest ID per partition, read by DuckDB with Hive partitioning. */
  static Map<String, String> partitions(Path table) throws SQLException {
    String sql =
        "SELECT survey_id, count(*) AS n, min(id) AS first FROM read_parquet('"
            + table
            + "/*/*.parquet', hive_partitioning = true) GROUP BY survey_id ORDER BY survey_id";
    Map<String, String> found = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        found.put(rs.getString(1), rs.getLong(2) + " rows from id " + rs.getLong(3));
      }
    }
    return found;
  }

  static final String W1 = "2026-11-01T00:00:00Z";
  static final String W2 = "2026-11-02T00:00:00Z";
  static final String W3 = "2026-11-03T00:00:00Z";
  private static final String SNAPSHOT_MODE =
      "mode: snapshot               # each survey's run replaces its own partition";

  /**
   * The example made incremental: each survey's export asks only for the rows created after its
   * partition's watermark ({@code "after":"${watermark}"}), appended to the partition.
   */
  static Path incrementalSurveyPipeline(Path dir, boolean rerunDone) throws IOException {
    String yaml = Files.readString(Path.of("../examples/generic-survey-responses.yaml"));
    String survey = "\"survey\":\"${survey}\",";
    assertThat(yaml).contains(survey).contains(SNAPSHOT_MODE).contains("maxUnitsPerRun: 0 ");
    Files.createDirectories(dir);
    return Files.writeString(
        dir.resolve("surveys.yaml"),
        yaml.replace(survey, survey + "\"after\":\"${watermark}\",")
            .replace("maxUnitsPerRun: 0 ", "rerunDone: " + rerunDone + "\n  maxUnitsPerRun: 0 ")
            .replace(
                SNAPSHOT_MODE,
                "mode: append\n"
                    + "  columns:\n"
                    + "    - {name: created_at, type: timestamp}\n"
                    + "incremental:\n"
                    + "  column: created_at\n"
                    + "  initial: \"1970-01-01T00:00:00Z\"\n"));
  }

  /** The rows the sandbox serves for {@code survey}, less its {@code unread} newest ones. */
  static List<Map<String, String>> served(String survey, int unread) {
    Surveys surveys = dev.sandbox().generic().surveys();
    int first = surveys.firstRow(survey);
    int count = ROWS_PER_SURVEY + surveys.added(survey) - unread;
    return ParquetTables.expectedEvents(GenericData.rows(SEED, first, first + count));
  }

  /** Every survey's partition holds exactly the rows the sandbox serves for it, row for row. */
  static void assertEveryPartitionIsExact(Path table, int surveys) throws SQLException {
    for (int k = 1; k <= surveys; k++) {
      String survey = Surveys.id(k);
      assertThat(ParquetTables.events(table.resolve("survey_id=" + survey)))
          .as(survey)
          .containsExactlyElementsOf(served(survey, 0));
    }
  }

  static int exportsCreated() {
    return dev.sandbox().generic().stats().exports().size();
  }

  @Test
  void givenSurveyFailsOnce_whenRunTwice_thenOnlyThatSurveyIsRetriedAndEveryPartitionIsComplete()
      throws Exception {
    dev.sandbox().generic().surveys().count(4);
    dev.sandbox().generic().surveys().failNext(Surveys.id(2), 1);
    Path pipeline = surveyPipeline(work.resolve("retry"), 0);
    Path table = work.resolve("retry/out/survey-responses");

    Cli first = run(pipeline, "2026-11-01T00:00:00Z");

    assertThat(first.exitCode()).as(first.out() + first.err()).isEqualTo(1);
    assertThat(first.out())
        .contains(
            "run ingest/survey-responses/2026-11-01T00:00:00Z finished with failed units: 4"
                + " units, 3 succeeded, 1 failed")
        .contains("4 listed: 3 done, 1 failed, 0 pending")
        .containsPattern("S-002 +failed +0 +error: provider job \\d+ failed .*locked");
    assertThat(exportsCreated()).isEqualTo(4);
    assertThat(partitions(table)).containsOnlyKeys("S-001", "S-003", "S-004");

    Cli second = run(pipeline, "2026-11-02T00:00:00Z");

    assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
    assertThat(second.out())
        .contains("1 unit, 1 succeeded, 0 failed")
        .contains("4 listed: 4 done, 0 failed, 0 pending");
    // Only the failed survey was exported again; done surveys were not redone.
    assertThat(exportsCreated()).isEqualTo(5);
    assertThat(partitions(table))
        .containsExactly(
            Map.entry("S-001", ROWS_PER_SURVEY + " rows from id 1"),
            Map.entry("S-002", ROWS_PER_SURVEY + " rows from id 100001"),
            Map.entry("S-003", ROWS_PER_SURVEY + " rows from id 200001"),
            Map.entry("S-004", ROWS_PER_SURVEY + " rows from id 300001"));
    assertThat(table.resolve("survey_id=S-002/_sluice")).isDirectory();
  }

  @Test
  void givenMaxUnitsPerRunThree_whenRunTwice_thenFiveSurveysAreSpreadOverTheTwoRuns()
      throws Exception {
    dev.sandbox().generic().surveys().count(5);
    Path pipeline = surveyPipeline(work.resolve("spread"), 3);
    Path table = work.resolve("spread/out/survey-responses");

    Cli first = run(pipeline, "2026-11-01T00:00:00Z");

    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    assertThat(first.out())
        .contains("3 units, 3 succeeded, 0 failed")
        .contains("5 listed: 3 done, 0 failed, 2 pending");
    assertThat(partitions(table)).containsOnlyKeys("S-001", "S-002", "S-003");

    Cli second = run(pipeline, "2026-11-02T00:00:00Z");

    assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
    assertThat(second.out())
        .contains("2 units, 2 succeeded, 0 failed")
        .contains("5 listed: 5 done, 0 failed, 0 pending");
    assertThat(partitions(table)).hasSize(5).containsEntry("S-005", "30 rows from id 400001");
    assertThat(exportsCreated()).isEqualTo(5);
  }

  @Test
  void givenIncrementalUnitsAndNewerWindows_whenAnOlderWindowRunsAgain_thenEachPartitionReReadsExactlyItsOwnRange()
      throws Exception {
    Surveys surveys = dev.sandbox().generic().surveys();
    surveys.count(3);
    Path pipeline = incrementalSurveyPipeline(work.resolve("older"), true);
    Path table = work.resolve("older/out/survey-responses");
    Cli first = run(pipeline, W1);
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    surveys.addResponses(Surveys.id(1), 5);
    surveys.addResponses(Surveys.id(2), 7);
    Cli second = run(pipeline, W2);
    assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
    assertThat(second.out())
        .contains("3 units, 3 succeeded, 0 failed")
        .containsPattern("S-001 +done +5 ")
        .containsPattern("S-002 +done +7 ")
        .containsPattern("S-003 +done +0 ");
    assertEveryPartitionIsExact(table, 3);
    // Rows no window has read yet: an older window must not take them.
    surveys.addResponses(Surveys.id(1), 4);
    int exportsBefore = exportsCreated();

    Cli again = run(pipeline, W1);

    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
    assertThat(again.out())
        .contains("3 units, 3 succeeded, 0 failed")
        .containsPattern("S-001 +done +" + ROWS_PER_SURVEY + " ");
    assertThat(exportsCreated()).isEqualTo(exportsBefore + 3);
    // Each partition re-read exactly what window 1 owned: nothing lost, nothing twice, nothing new.
    assertThat(ParquetTables.events(table.resolve("survey_id=S-001")))
        .containsExactlyElementsOf(served(Surveys.id(1), 4));
    assertThat(ParquetTables.events(table.resolve("survey_id=S-002")))
        .containsExactlyElementsOf(served(Surveys.id(2), 0));
    assertThat(ParquetTables.events(table.resolve("survey_id=S-003")))
        .containsExactlyElementsOf(served(Surveys.id(3), 0));
    // The partitions' watermarks did not move back: a new window reads only the unread rows.
    Cli third = run(pipeline, W3);
    assertThat(third.exitCode()).as(third.out() + third.err()).isZero();
    assertThat(third.out())
        .containsPattern("S-001 +done +4 ")
        .containsPattern("S-002 +done +0 ")
        .containsPattern("S-003 +done +0 ");
    assertEveryPartitionIsExact(table, 3);
  }

  @Test
  void givenDoneUnits_whenTheirWindowRunsAgain_thenItsOwnUnitsReReadTheirRangeAndNoOtherIsRedone()
      throws Exception {
    Surveys surveys = dev.sandbox().generic().surveys();
    surveys.count(3);
    surveys.failNext(Surveys.id(2), 1);
    Path pipeline = incrementalSurveyPipeline(work.resolve("own"), false);
    Path table = work.resolve("own/out/survey-responses");
    assertThat(run(pipeline, W1).exitCode()).isEqualTo(1); // S-002 failed
    Cli second = run(pipeline, W2); // S-002 alone, in window 2
    assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
    assertThat(second.out()).contains("1 unit, 1 succeeded, 0 failed");
    assertEveryPartitionIsExact(table, 3);
    // Window 1's files of S-001 are lost (deleted by mistake): running window 1 again brings
    // them back.
    try (Stream<Path> files = Files.list(table.resolve("survey_id=S-001"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        Files.delete(f);
      }
    }
    int exportsBefore = exportsCreated();

    Cli again = run(pipeline, W1);

    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
    // Window 1's own units (S-001, S-003) again; S-002, done in window 2, is not redone.
    assertThat(again.out())
        .contains("2 units, 2 succeeded, 0 failed")
        .containsPattern("S-001 +done +" + ROWS_PER_SURVEY + " ")
        .containsPattern("S-003 +done +" + ROWS_PER_SURVEY + " ")
        .doesNotContainPattern("S-002 +done");
    assertThat(exportsCreated()).isEqualTo(exportsBefore + 2);
    assertEveryPartitionIsExact(table, 3);
  }
}
