package dev.sluice.starter.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The read-back helper itself: tables written by Iceberg's Java library, read by pyiceberg. */
@ExtendWith(PyIceberg.class)
class PyIcebergTest {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "name", Types.StringType.get()),
          Types.NestedField.optional(3, "at", Types.TimestampType.withZone()),
          Types.NestedField.optional(4, "amount", Types.DecimalType.of(10, 2)),
          Types.NestedField.optional(5, "day", Types.DateType.get()),
          Types.NestedField.optional(6, "ok", Types.BooleanType.get()));

  @TempDir Path dir;

  @Test
  void givenAHadoopTable_whenReadByPyiceberg_thenRowsAndSummariesMatchWhatJavaWrote()
      throws IOException {
    Table table =
        new HadoopTables(new Configuration())
            .create(
                SCHEMA,
                PartitionSpec.builderFor(SCHEMA).day("at").build(),
                Map.of(),
                dir.resolve("t").toUri().toString());
    JavaTables.append(table, rows(table), Map.of("sluice.run-key", "run-1"));

    PyIceberg.Read read = PyIceberg.readTable(table.location());

    assertThat(read.rows())
        .containsExactlyInAnyOrder(
            Map.of(
                "id", 1,
                "name", "ä \"quoted\"",
                "at", "2026-12-01T10:15:30+00:00",
                "amount", "12.50",
                "day", "2026-12-01",
                "ok", true),
            new java.util.HashMap<>(
                java.util.Collections.singletonMap("name", (Object) null)) {
              {
                put("id", 2);
                put("at", "2026-12-02T00:00:00+00:00");
                put("amount", null);
                put("day", null);
                put("ok", false);
              }
            });
    assertThat(read.summaries()).hasSize(1);
    assertThat(read.summaries().get(0))
        .containsEntry("operation", "append")
        .containsEntry("sluice.run-key", "run-1");
    assertThat(read.table().path("partition_spec").toString()).contains("day");
  }

  @Test
  void givenAJdbcCatalogOnSqlite_whenReadByPyiceberg_thenTheTableIsFoundByItsIdentifier()
      throws IOException {
    String warehouse = dir.resolve("w").toUri().toString();
    String db = dir.resolve("catalog.db").toString();
    JdbcCatalog catalog = new JdbcCatalog();
    catalog.setConf(new Configuration());
    catalog.initialize(
        "sluice", Map.of("uri", "jdbc:sqlite:" + db, "warehouse", warehouse));
    catalog.createNamespace(Namespace.of("crm"));
    Table table = catalog.createTable(TableIdentifier.of("crm", "accounts"), SCHEMA);
    JavaTables.append(table, rows(table), Map.of());
    catalog.close();

    PyIceberg.Read read = PyIceberg.readSql("sqlite:///" + db, "sluice", warehouse, "crm.accounts");

    assertThat(read.rows()).extracting(r -> r.get("id")).containsExactlyInAnyOrder(1, 2);
  }

  private static List<Record> rows(Table table) {
    Record a = GenericRecord.create(table.schema());
    a.setField("id", 1L);
    a.setField("name", "ä \"quoted\"");
    a.setField("at", OffsetDateTime.of(2026, 12, 1, 10, 15, 30, 0, ZoneOffset.UTC));
    a.setField("amount", new BigDecimal("12.50"));
    a.setField("day", LocalDate.of(2026, 12, 1));
    a.setField("ok", true);
    Record b = GenericRecord.create(table.schema());
    b.setField("id", 2L);
    b.setField("at", OffsetDateTime.of(2026, 12, 2, 0, 0, 0, 0, ZoneOffset.UTC));
    b.setField("ok", false);
    return List.of(a, b);
  }
}
