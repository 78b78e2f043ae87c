package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.ContactData;
import dev.sluice.sandbox.SalesforceStats;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SnowflakeEmulator;
import dev.sluice.sandbox.SnowflakeStats;
import dev.sluice.starter.dev.DevEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results in parts through {@code sluice run --wait} against the sandbox: Snowflake SQL API
 * partitions and Salesforce Bulk API 2.0 {@code resultPages}, each part downloaded by its own
 * activity, at most {@code maxParallel} at once, all landing in one commit, row for row as the
 * provider served them (read back with DuckDB); and bad answers that fail the run naming the
 * pointer, publish nothing and clean the provider job up.
 */
class ResultPartsEndToEndTest {
  static final String QUEUE = "e2e-parts";
  static final long SEED = 17;
  static DevEnvironment dev;

  @TempDir static Path work;

  @BeforeAll
  static void startStack() {
    // Jobs ready at the first check: these runs prove what lands, not the polling.
    dev =
        DevEnvironment.start(
            0, SandboxConfig.defaults().withSeed(SEED).withPollsBeforeReady(1), QUEUE);
  }

  @AfterAll
  static void stopStack() {
    dev.close();
  }

  @BeforeEach
  void resetKnobs() {
    snowflake().reset();
    snowflake().running(2, Duration.ZERO);
  }

  static SnowflakeEmulator snowflake() {
    return dev.sandbox().snowflake();
  }

  /** An example, copied beside its own output, polling fast, with {@code from} replaced. */
  static Path example(String name, String dir, String... replacements) throws IOException {
    String yaml =
        Files.readString(Path.of("../examples/" + name)).replace("interval: 2s", "interval: 100ms");
    for (int i = 0; i < replacements.length; i += 2) {
      assertThat(yaml).contains(replacements[i]);
      yaml = yaml.replace(replacements[i], replacements[i + 1]);
    }
    Path folder = work.resolve(dir);
    Files.createDirectories(folder);
    Path file = folder.resolve(name);
    Files.writeString(file, yaml);
    return file;
  }

  static Cli run(Path pipeline, String logicalDate) throws Exception {
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

  /** Every row of a Snowflake orders table, as the values the API sent, in ID order. */
  static List<List<String>> orders(Path table) throws SQLException {
    String sql =
        "SELECT CAST(ID AS VARCHAR), NAME, CAST(AMOUNT AS VARCHAR), CREATED_AT, ATTRIBUTES"
            + " FROM read_parquet('"
            + table
            + "/*.parquet') ORDER BY ID";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<List<String>> rows = new ArrayList<>();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
          row.add(rs.getString(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  static boolean published(Path table) throws IOException {
    if (!Files.isDirectory(table)) {
      return false;
    }
    try (Stream<Path> files = Files.list(table)) {
      return files.anyMatch(f -> f.toString().endsWith(".parquet"));
    }
  }

  static String history(String workflowId) {
    return dev.client().fetchHistory(workflowId).getEvents().stream()
        .map(Object::toString)
        .collect(Collectors.joining("\n"));
  }

  @Test
  void givenSnowflakePartitions_whenRun_thenFetchedInParallelAndEveryRowOnce() throws Exception {
    snowflake().result(1000, 8);
    // Long enough that four partitions are seen in flight together.
    snowflake().partitionDelay(Duration.ofMillis(400));
    Path pipeline = example("snowflake-sql-partitions.yaml", "snowflake");

    Cli run = run(pipeline, "2026-12-01T00:00:00Z");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("rows          1000 from 8 pages");
    assertThat(orders(pipeline.resolveSibling("out/snowflake-orders")))
        .containsExactlyElementsOf(snowflake().rows());
    SnowflakeStats stats = snowflake().stats();
    assertThat(stats.statementsSubmitted()).isEqualTo(1);
    assertThat(stats.partitionRequests()).as("each partition once").isEqualTo(8);
    assertThat(stats.maxPartitionsInFlight()).as("maxParallel: 4").isEqualTo(4);
    try (Stream<Path> files = Files.list(pipeline.resolveSibling("out/snowflake-orders"))) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".parquet")))
          .as("a deterministic file name per part")
          .hasSize(8)
          .allMatch(f -> f.matches("part-0000[0-7]-.*\\.parquet"));
    }
  }

  @Test
  void givenSalesforceResultPages_whenRun_thenEveryPageInParallelAndEveryRowOnce()
      throws Exception {
    // 1000 contacts in pages of 90: 12 result URLs, listed five at a time (nextRecordsUrl).
    dev.sandbox().salesforce().defaultMaxRecords(90);
    SalesforceStats before = dev.sandbox().salesforce().stats();
    Path pipeline = example("salesforce-bulk-result-pages.yaml", "result-pages");

    Cli run;
    try {
      run = run(pipeline, "2026-12-02T00:00:00Z");
    } finally {
      dev.sandbox().salesforce().defaultMaxRecords(SandboxConfig.defaults().defaultMaxRecords());
    }

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("rows          1000 from 12 pages");
    assertThat(ParquetTables.contacts(pipeline.resolveSibling("out/salesforce-contacts-parallel")))
        .containsExactlyElementsOf(ParquetTables.expected(ContactData.rows(SEED, 0, 1000)));
    SalesforceStats after = dev.sandbox().salesforce().stats();
    assertThat(after.resultPagesServed() - before.resultPagesServed())
        .as("each result URL once")
        .isEqualTo(12);
    assertThat(after.deletes() - before.deletes())
        .as("the job deleted after the publish")
        .isEqualTo(1);
    assertThat(history("ingest/salesforce-contacts-parallel/2026-12-02T00:00:00Z"))
        .doesNotContain("locator=");
  }

  @Test
  void givenPartitionCountNotANumber_whenRun_thenFailsNamingThePointerAndPublishesNothing()
      throws Exception {
    Path pipeline =
        example(
            "snowflake-sql-partitions.yaml",
            "count-not-a-number",
            "count: /resultSetMetaData/partitionInfo",
            "count: /resultSetMetaData/format");

    Cli run = run(pipeline, "2026-12-03T00:00:00Z");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out() + run.err())
        .contains("the partition count at JSON pointer /resultSetMetaData/format is not a number");
    assertThat(published(pipeline.resolveSibling("out/snowflake-orders"))).isFalse();
    assertThat(snowflake().stats().partitionRequests()).isZero();
  }

  @Test
  void givenEmptyUrlList_whenRun_thenFailsNamingThePointerAndPublishesNothing() throws Exception {
    // No rows: the status answer's data is an empty list.
    snowflake().result(0, 1);
    Path pipeline =
        example(
            "snowflake-sql-partitions.yaml",
            "empty-list",
            "      type: partitions\n      # An array: its size is the number of partitions.\n"
                + "      count: /resultSetMetaData/partitionInfo\n"
                + "      url: ${env:SNOWFLAKE_ACCOUNT_URL}/api/v2/statements/${requestId}"
                + "?partition=${partition}\n",
            "      type: urls\n      pointer: /data\n");

    Cli run = run(pipeline, "2026-12-04T00:00:00Z");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out() + run.err()).contains("the list at JSON pointer /data is empty");
    assertThat(published(pipeline.resolveSibling("out/snowflake-orders"))).isFalse();
  }

  @Test
  void givenListPointerMissing_whenRun_thenFailsNamingItNothingPublishedJobDeleted()
      throws Exception {
    SalesforceStats before = dev.sandbox().salesforce().stats();
    Path pipeline =
        example(
            "salesforce-bulk-result-pages.yaml",
            "missing-pointer",
            "pointer: /resultPages",
            "pointer: /resultPagez");

    Cli run = run(pipeline, "2026-12-05T00:00:00Z");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out() + run.err())
        .contains("JSON pointer /resultPagez finds no list of URLs")
        .contains("extract.result.resolve[0]");
    assertThat(published(pipeline.resolveSibling("out/salesforce-contacts-parallel"))).isFalse();
    SalesforceStats after = dev.sandbox().salesforce().stats();
    assertThat(after.resultPagesServed() - before.resultPagesServed()).isZero();
    assertThat(after.deletes() - before.deletes()).as("the provider job cleaned up").isEqualTo(1);
  }
}
