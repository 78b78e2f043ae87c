package dev.sluice.activities.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.activities.parquet.InvalidSinkException;
import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.IcebergCatalogSpec;
import dev.sluice.pipeline.IcebergSink;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalogs an iceberg sink names, mapped to Iceberg's catalog classes and properties. */
class IcebergCatalogsTest {
  private static final List<ColumnSpec> TYPES =
      List.of(new ColumnSpec("id", "long", null), new ColumnSpec("ts", "timestamp", null));

  @TempDir Path dir;
  private final IcebergRuns runs = new IcebergRuns();

  private IcebergSink sink(IcebergCatalogSpec catalog, String table) {
    return new IcebergSink(catalog, table, "append", List.of(), null, null, TYPES, null, null);
  }

  @Test
  void givenAJdbcCatalogOnSqlite_whenTwoPipelinesCommitToTwoTables_thenEachReadsBackItsRows() {
    IcebergCatalogSpec jdbc =
        new IcebergCatalogSpec.Jdbc(
            "jdbc:sqlite:" + dir.resolve("catalog.db"),
            dir.resolve("wh").toUri().toString(),
            null,
            null);
    IcebergSink contacts = sink(jdbc, "crm.contacts");
    IcebergSink orders = sink(jdbc, "crm.orders");

    runs.run(
        contacts,
        "2026-11-01",
        "r1",
        List.of("id", "ts"),
        List.of(new Object[][] {{"1", "2026-11-01T01:00:00Z"}, {"2", "2026-11-01T02:00:00Z"}}));
    runs.run(
        orders,
        "2026-11-01",
        "r2",
        List.of("id", "ts"),
        List.<Object[]>of(new Object[] {"7", "2026-11-01T03:00:00Z"}));

    assertThat(runs.catalogs.catalog(jdbc)).isInstanceOf(JdbcCatalog.class);
    assertThat(runs.column(contacts, "id")).containsExactlyInAnyOrder("1", "2");
    assertThat(runs.column(orders, "id")).containsExactly("7");
    assertThat(runs.table(contacts).location()).isEqualTo(contacts.path());
  }

  /**
   * The worker carries PostgreSQL's driver: a catalog at a {@code jdbc:postgresql://} uri reaches
   * the database (here: nothing listens, so the driver's own refusal), never "No suitable driver".
   * (A live PostgreSQL is not started here: its server refuses to run as root, as CI runs.)
   */
  @Test
  void givenAJdbcCatalogOnPostgresql_whenBuilt_thenTheDriverConnectsToTheUri() throws Exception {
    int closed;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      closed = free.getLocalPort();
    }
    IcebergCatalogSpec jdbc =
        new IcebergCatalogSpec.Jdbc(
            "jdbc:postgresql://127.0.0.1:" + closed + "/catalog",
            dir.resolve("wh").toUri().toString(),
            null,
            null);

    Throwable failure =
        org.assertj.core.api.Assertions.catchThrowable(() -> runs.catalogs.catalog(jdbc));

    assertThat(failure).isNotNull();
    assertThat(org.assertj.core.util.Throwables.getStackTrace(failure))
        .as("the chain of causes")
        .contains(
            "org.postgresql.util.PSQLException: Connection to 127.0.0.1:" + closed + " refused")
        .doesNotContain("No suitable driver");
  }

  @Test
  void givenAHadoopCatalog_whenATableIsCreated_thenItLivesWhereTheSinkPathSays() {
    IcebergSink sink =
        sink(new IcebergCatalogSpec.Hadoop(dir.resolve("wh").toUri().toString()), "a.b.events");

    var table =
        runs.catalogs.loadOrCreate(
            sink, new Schema(Types.NestedField.optional(1, "id", Types.LongType.get())));

    assertThat(IcebergCatalogs.identifier(sink)).isEqualTo(TableIdentifier.of("a", "b", "events"));
    assertThat(trim(table.location())).isEqualTo(trim(sink.path()));
    assertThat(runs.catalogs.load(sink)).isPresent();
  }

  @Test
  void givenARestCatalogWithSecrets_whenMapped_thenItsPropertiesCarryTheResolvedValues() {
    IcebergCatalogSpec rest =
        new IcebergCatalogSpec.Rest(
            "https://catalog.example/api", "s3a://lake/wh", "${env:CRED}", "${env:TOKEN}");
    Map<String, String> secrets = Map.of("${env:CRED}", "id:secret", "${env:TOKEN}", "t0k3n");

    Map<String, String> props = IcebergCatalogs.properties(rest, secrets::get);

    assertThat(props)
        .containsEntry("type", "rest")
        .containsEntry("uri", "https://catalog.example/api")
        .containsEntry("warehouse", "s3a://lake/wh")
        .containsEntry("credential", "id:secret")
        .containsEntry("token", "t0k3n");
    assertThat(rest.toString()).doesNotContain("id:secret").doesNotContain("t0k3n");
  }

  @Test
  void givenAJdbcCatalogWithAPasswordReference_whenMapped_thenTheWorkerResolvesIt() {
    IcebergCatalogSpec jdbc =
        new IcebergCatalogSpec.Jdbc(
            "jdbc:postgresql://db/lake", "s3a://lake/wh", null, "${env:PW}");

    assertThat(IcebergCatalogs.properties(jdbc, ref -> ref.equals("${env:PW}") ? "pw" : null))
        .containsEntry("type", "jdbc")
        .containsEntry("jdbc.password", "pw")
        .doesNotContainKey("jdbc.user");
  }

  @Test
  void givenPartitionTransforms_whenParsed_thenBadOnesAreNamedByTheirKey() {
    assertThat(Partitioning.parse("bucket(16, id)", 0))
        .isEqualTo(new Partitioning.Term("bucket", 16, "id"));
    assertThat(Partitioning.parse(" day( ts ) ", 1))
        .isEqualTo(new Partitioning.Term("day", 0, "ts"));
    assertThatThrownBy(() -> Partitioning.parse("week(ts)", 2))
        .isInstanceOf(InvalidSinkException.class)
        .hasMessageContaining("sink.partitionBy[2]: unknown transform 'week'");
    assertThatThrownBy(() -> Partitioning.parse("bucket(id)", 0))
        .hasMessageContaining("bucket needs a width first");
    Schema schema = new Schema(Types.NestedField.optional(1, "id", Types.LongType.get()));
    assertThatThrownBy(() -> Partitioning.spec(schema, List.of("day(ts)")))
        .hasMessageContaining("sink.partitionBy[0]: the table has no column 'ts'");
    assertThatThrownBy(() -> Partitioning.spec(schema, List.of("day(id)")))
        .hasMessageStartingWith("sink.partitionBy[0]: day(id)");
  }

  @Test
  void givenEveryTransform_whenAPartitionPathIsReadBack_thenItIsThePartitionThatWroteIt() {
    Schema schema =
        new Schema(
            Types.NestedField.optional(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "y", Types.TimestampType.withZone()),
            Types.NestedField.optional(3, "name", Types.StringType.get()),
            Types.NestedField.optional(4, "m", Types.TimestampType.withZone()),
            Types.NestedField.optional(5, "d", Types.TimestampType.withZone()),
            Types.NestedField.optional(6, "h", Types.TimestampType.withZone()));
    org.apache.iceberg.PartitionSpec spec =
        Partitioning.spec(
            schema,
            List.of(
                "year(y)",
                "month(m)",
                "day(d)",
                "hour(h)",
                "bucket(4, id)",
                "truncate(3, name)",
                "identity(name)"));
    org.apache.iceberg.PartitionData data =
        new org.apache.iceberg.PartitionData(spec.partitionType());
    long micros = java.time.Instant.parse("2025-03-04T05:06:07Z").toEpochMilli() * 1000;
    for (int i = 0; i < spec.fields().size(); i++) {
      var field = spec.fields().get(i);
      int id = field.sourceId();
      Object source = id == 1 ? 42L : id == 3 ? "Ødegård/a b" : micros;
      @SuppressWarnings("unchecked")
      var transform = (org.apache.iceberg.transforms.Transform<Object, Object>) field.transform();
      data.set(i, transform.bind(schema.findType(field.sourceId())).apply(source));
    }

    String path = spec.partitionToPath(data);

    assertThat(PartitionPaths.parse(spec, path)).isEqualTo(data);
    assertThat(path)
        .startsWith("y_year=2025/m_month=2025-03/d_day=2025-03-04/h_hour=2025-03-04-05/");
  }

  private static String trim(String location) {
    return location.replaceAll("/+$", "").replace("file:///", "file:/");
  }
}
