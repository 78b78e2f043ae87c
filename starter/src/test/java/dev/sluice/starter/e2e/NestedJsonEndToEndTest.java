package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.GenericOrders;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.starter.dev.DevEnvironment;
import java.nio.file.Files;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nested JSON through the CLI on the embedded stack: the generic export's {@code orders} (objects
 * and arrays) land as Parquet structs and lists with {@code format.nested: struct}, and DuckDB
 * reads them as {@code STRUCT} and {@code LIST}. A later run whose data has new fields adds them to
 * the table; a run whose column type differs from the table's fails, naming both types, and
 * publishes nothing. Within one run, a key first seen on a later page (after the records the schema
 * was inferred from) joins the table too.
 */
class NestedJsonEndToEndTest {
  static final String QUEUE = "e2e-nested";
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
  void givenNestedOrders_whenRunTwiceThenWithAnotherType_thenStructsListsNewFieldsAndARefusal()
      throws Exception {
    Cli first = run(pipeline("first.yaml", GenericOrders.EVOLVES_AT, ""), "2026-03-01T00:00:00Z");

    assertThat(first.exitCode()).as(first.err()).isZero();
    Map<String, String> types = columnTypes();
    assertThat(types)
        .containsEntry(
            "customer", "STRUCT(\"name\" VARCHAR, address STRUCT(city VARCHAR, zip VARCHAR))")
        .containsEntry("lines", "STRUCT(sku VARCHAR, qty BIGINT, price DOUBLE)[]")
        .containsEntry("tags", "VARCHAR[]")
        .doesNotContainKey("coupon");
    List<Map<String, String>> rows =
        query(
            "SELECT id, customer.name AS name, customer.address.city AS city, len(lines) AS n,"
                + " lines[1].sku AS sku, lines[1].qty AS qty, tags[1] AS tag,"
                + " CAST(tags AS VARCHAR) AS tags FROM orders ORDER BY id");
    assertThat(rows).hasSize(GenericOrders.EVOLVES_AT);
    assertThat(rows.get(0))
        .containsEntry("id", "1")
        .containsEntry("name", "Customer 0")
        .containsEntry("city", "Oslo")
        .containsEntry("n", "0")
        .containsEntry("sku", null)
        .containsEntry("tags", "[t0, all]");
    assertThat(rows.get(7))
        .containsEntry("name", "Customer 7")
        .containsEntry("city", "Lagos")
        .containsEntry("n", "2")
        .containsEntry("sku", "SKU-7-0")
        .containsEntry("qty", "1")
        .containsEntry("tag", null)
        .containsEntry("tags", null);

    // Run 2: the provider added customer.tier and a coupon object from row 40 on.
    Cli second = run(pipeline("second.yaml", 60, ""), "2026-03-02T00:00:00Z");

    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(columnTypes())
        .containsEntry(
            "customer",
            "STRUCT(\"name\" VARCHAR, address STRUCT(city VARCHAR, zip VARCHAR), tier BIGINT)")
        .containsEntry("coupon", "STRUCT(code VARCHAR, pct BIGINT)");
    assertThat(
            query(
                "SELECT count(*) AS n, count(coupon) AS coupons, count(customer.tier) AS tiers,"
                    + " max(coupon.code) FILTER (WHERE id = 60) AS code FROM orders"))
        .containsExactly(Map.of("n", "100", "coupons", "20", "tiers", "20", "code", "C59"));
    List<String> filesBefore = dataFiles();

    // Run 3: the same table, but this pipeline writes lines as JSON text.
    Cli third =
        run(
            pipeline("third.yaml", 10, "\n  columns:\n    - {name: lines, type: string}"),
            "2026-03-03T00:00:00Z");

    assertThat(third.exitCode()).isNotZero();
    assertThat(third.out() + third.err())
        .contains(
            "column 'lines' is list<struct<sku: string, qty: long, price: double>> in the"
                + " table but string in this run")
        .contains("nothing was published");
    assertThat(dataFiles()).isEqualTo(filesBefore);
    assertThat(query("SELECT count(*) AS n FROM orders")).containsExactly(Map.of("n", "100"));
  }

  @Test
  void givenOrdersAsJsonText_whenALaterPageBringsANewKey_thenTheColumnJoinsAndEveryRowLandsOnce()
      throws Exception {
    // Pages of 25, the schema fixed from the first 10 records: coupon first appears on page 2.
    Path pipeline = pipeline("midrun.yaml", 60, "\n  inferRows: 10", false, "orders-flat");

    Cli run = run(pipeline, "2026-04-01T00:00:00Z");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(columnTypes("orders-flat"))
        .containsEntry("id", "BIGINT")
        .containsEntry("customer", "VARCHAR")
        .containsEntry("coupon", "VARCHAR");
    assertThat(
            query(
                "SELECT count(*) AS n, count(DISTINCT id) AS ids, min(id) AS lo, max(id) AS hi,"
                    + " count(coupon) AS coupons,"
                    + " min(id) FILTER (WHERE coupon IS NOT NULL) AS first,"
                    + " max(coupon) FILTER (WHERE id = 60) AS last FROM orders-flat"))
        .containsExactly(
            Map.of(
                "n", "60",
                "ids", "60",
                "lo", "1",
                "hi", "60",
                "coupons", "20",
                "first", String.valueOf(GenericOrders.EVOLVES_AT + 1),
                "last", "{\"code\":\"C59\",\"pct\":19}"));
    // The file open when the key appeared was completed there: the run has files of both schemas.
    assertThat(dataFiles("orders-flat")).hasSizeGreaterThanOrEqualTo(2);

    // The same as structs: coupon is a new column, customer.tier a new field of an inferred struct.
    Cli nested =
        run(
            pipeline("midrun-nested.yaml", 60, "\n  inferRows: 10", true, "orders-midrun"),
            "2026-04-01T00:00:00Z");

    assertThat(nested.exitCode()).as(nested.err()).isZero();
    assertThat(columnTypes("orders-midrun"))
        .containsEntry(
            "customer",
            "STRUCT(\"name\" VARCHAR, address STRUCT(city VARCHAR, zip VARCHAR), tier BIGINT)")
        .containsEntry("coupon", "STRUCT(code VARCHAR, pct BIGINT)");
    assertThat(
            query(
                "SELECT count(*) AS n, count(DISTINCT id) AS ids, count(coupon) AS coupons,"
                    + " count(customer.tier) AS tiers,"
                    + " min(id) FILTER (WHERE customer.tier IS NOT NULL) AS first"
                    + " FROM orders-midrun"))
        .containsExactly(
            Map.of(
                "n", "60",
                "ids", "60",
                "coupons", "20",
                "tiers", "20",
                "first", String.valueOf(GenericOrders.EVOLVES_AT + 1)));
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

  /** The generic export example, asking for {@code records} orders, appending to out/orders. */
  private static Path pipeline(String file, int records, String columns) throws Exception {
    return pipeline(file, records, columns, true, "orders");
  }

  /**
   * The same, with {@code sinkKeys} after the sink's compression, objects and arrays kept as
   * structs and lists or as JSON text, into {@code out/<table>}.
   */
  private static Path pipeline(
      String file, int records, String sinkKeys, boolean nested, String table) throws Exception {
    String example = Files.readString(Path.of("../examples/generic-export-events.yaml"));
    String yaml =
        example
            .replace("name: generic-events", "name: nested-orders")
            .replace(
                "{\"dataset\":\"events\",\"format\":\"json\",\"pagination\":\"cursor\",\"pageSize\":500}",
                "{\"dataset\":\"orders\",\"format\":\"json\",\"pagination\":\"cursor\",\"pageSize\":25,"
                    + "\"records\":"
                    + records
                    + "}")
            .replace(
                "      recordsPath: /result/items",
                "      recordsPath: /result/items" + (nested ? "\n      nested: struct" : ""))
            .replace("path: out/events ", "path: out/" + table + " ")
            .replace("mode: snapshot ", "mode: append   ")
            .replace("compression: zstd", "compression: zstd" + sinkKeys);
    assertThat(yaml)
        .contains("name: nested-orders")
        .contains("\"dataset\":\"orders\"")
        .contains("path: out/" + table)
        .contains("mode: append");
    assertThat(yaml.contains("nested: struct")).isEqualTo(nested);
    return Files.writeString(work.resolve(file), yaml);
  }

  /** Column → DuckDB type of the table, its files read by name. */
  private static Map<String, String> columnTypes() throws Exception {
    return columnTypes("orders");
  }

  private static Map<String, String> columnTypes(String table) throws Exception {
    Map<String, String> types = new LinkedHashMap<>();
    for (Map<String, String> row : query("DESCRIBE SELECT * FROM " + table)) {
      types.put(row.get("column_name"), row.get("column_type"));
    }
    return types;
  }

  /**
   * Rows of {@code sql} as text, where {@code orders} (or another table under out/, as in {@code
   * FROM orders-flat}) is the table read with union_by_name.
   */
  private static List<Map<String, String>> query(String sql) throws Exception {
    java.util.regex.Matcher from = java.util.regex.Pattern.compile("FROM ([a-z-]+)").matcher(sql);
    String table = from.find() ? from.group(1) : "orders";
    String read =
        "read_parquet('" + work.resolve("out/" + table) + "/*.parquet', union_by_name = true)";
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duck.createStatement();
        ResultSet rs = st.executeQuery(sql.replace("FROM " + table, "FROM " + read))) {
      List<Map<String, String>> rows = new ArrayList<>();
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i <= columns; i++) {
          row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  private static List<String> dataFiles() throws Exception {
    return dataFiles("orders");
  }

  private static List<String> dataFiles(String table) throws Exception {
    try (Stream<Path> files = Files.list(work.resolve("out/" + table))) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".parquet"))
          .sorted()
          .toList();
    }
  }
}
