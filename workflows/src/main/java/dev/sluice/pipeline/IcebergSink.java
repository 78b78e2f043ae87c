package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * An Apache Iceberg table: each run's rows are written as Parquet data files into the table's data
 * folder while the run extracts, then committed in one Iceberg snapshot whose summary carries the
 * run key, the window and its watermark range. The watermark and the re-run ranges are read back
 * from the snapshot summaries.
 *
 * @param catalog where the table is registered ({@code hadoop} by default)
 * @param table {@code namespace.name} (the namespace may have several levels: {@code a.b.name})
 * @param mode {@code append} (default), {@code overwrite-window} (a run replaces the rows earlier
 *     runs of its window committed) or {@code snapshot} (a run replaces the table)
 * @param partitionBy Iceberg partition transforms: {@code identity(col)}, {@code year(col)},
 *     {@code month(col)}, {@code day(col)}, {@code hour(col)}, {@code bucket(N, col)}, {@code
 *     truncate(W, col)}; empty for an unpartitioned table
 * @param compression as {@link ParquetSink#compression()}
 * @param targetFileSize as {@link ParquetSink#targetFileSize()}
 * @param columns as {@link ParquetSink#columns()}
 * @param inferRows as {@link ParquetSink#inferRows()}
 * @param unit the work unit whose run writes the table ({@link #forUnit}), or null (default): set
 *     by the work-units workflow for each unit's run, never in a pipeline file
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IcebergSink(
    IcebergCatalogSpec catalog,
    String table,
    String mode,
    List<String> partitionBy,
    String compression,
    String targetFileSize,
    List<ColumnSpec> columns,
    Integer inferRows,
    @Internal Unit unit)
    implements SinkSpec, LakeTable {

  /** The modes, in the order the reference lists them. */
  public static final List<String> MODES = List.of("append", "overwrite-window", "snapshot");

  public IcebergSink {
    mode = mode == null ? "append" : mode;
    partitionBy = partitionBy == null ? List.of() : List.copyOf(partitionBy);
    compression = compression == null ? "zstd" : compression;
    targetFileSize = targetFileSize == null ? "128MB" : targetFileSize;
    columns = columns == null ? List.of() : List.copyOf(columns);
    inferRows = inferRows == null ? 1000 : inferRows;
  }

  /**
   * One work unit's share of the table: every work unit writes the one table, its rows in its own
   * partition (the unit's column, a string, filled from the partition for files that lack it),
   * its commits marked with its value ({@code sluice.unit}), its leases and staging apart.
   *
   * @param column the unit's column ({@code units.partition})
   * @param value the unit's value
   * @param directory {@code <column>=<escaped value>}: the unit's folder for staging and leases
   */
  public record Unit(String column, String value, String directory) {}

  /** Itself: the run writes the Iceberg table. */
  @Override
  @JsonIgnore
  public IcebergSink lakeTable() {
    return this;
  }

  /**
   * The table's location as Iceberg's Hadoop and JDBC catalogs place it ({@code
   * <warehouse>/<namespace levels>/<name>}); a table created by Sluice in a REST catalog is given
   * this location too. Sluice's own files (window leases) live under its {@code _sluice/}.
   */
  @Override
  @JsonIgnore
  public String path() {
    String warehouse = catalog == null || catalog.warehouse() == null ? "" : catalog.warehouse();
    String base = warehouse.endsWith("/") ? warehouse.substring(0, warehouse.length() - 1) : warehouse;
    return base + "/" + (table == null ? "" : table.replace('.', '/'));
  }

  /**
   * {@code <location>/data/sluice-<runKey>}: a run's data files are written where the commit leaves
   * them, under a prefix that names the run, so an aborted run's files are found by its key.
   */
  @Override
  public String stagingDir(String runKey) {
    return path() + "/data/" + (unit == null ? "" : unit.directory() + "/") + "sluice-" + runKey;
  }

  /** {@inheritDoc} A unit's leases and receipts under {@code _sluice/units/<column>=<value>}. */
  @Override
  @JsonIgnore
  public String stateDir() {
    return path() + "/_sluice" + (unit == null ? "" : "/units/" + unit.directory());
  }

  /**
   * {@inheritDoc} The same table, scoped to the unit ({@link Unit}); partitioned by {@code
   * identity(<column>)} when the pipeline names no partitions.
   */
  @Override
  public IcebergSink forUnit(String column, String value, String partitionPath) {
    String directory = partitionPath.substring(partitionPath.lastIndexOf('/') + 1);
    List<String> partitions =
        partitionBy.isEmpty() ? List.of("identity(" + column + ")") : partitionBy;
    return new IcebergSink(
        catalog,
        table,
        mode,
        partitions,
        compression,
        targetFileSize,
        columns,
        inferRows,
        new Unit(column, value, directory));
  }

  /** The value of the unit whose share of the table this is, or null for the whole table. */
  @JsonIgnore
  public String unitValue() {
    return unit == null ? null : unit.value();
  }

  /** The namespace levels of {@link #table()}: all but the last dotted part. */
  @JsonIgnore
  public List<String> namespace() {
    List<String> parts = List.of(table.split("\\."));
    return parts.subList(0, parts.size() - 1);
  }

  /** The table's own name: the last dotted part of {@link #table()}. */
  @JsonIgnore
  public String name() {
    return table.substring(table.lastIndexOf('.') + 1);
  }

  /**
   * Not available: an Iceberg table's location is its catalog's; relative warehouses are resolved
   * with {@link #withCatalog}, and work units share the table ({@link #forUnit}).
   */
  @Override
  public IcebergSink withPath(String newPath) {
    throw new UnsupportedOperationException(
        "an iceberg table is placed by its catalog; it cannot move to " + newPath);
  }

  @Override
  public IcebergSink withMode(String newMode) {
    return new IcebergSink(
        catalog, table, newMode, partitionBy, compression, targetFileSize, columns, inferRows, unit);
  }

  /** The same sink in another catalog (a relative warehouse resolved). */
  public IcebergSink withCatalog(IcebergCatalogSpec other) {
    return new IcebergSink(
        other, table, mode, partitionBy, compression, targetFileSize, columns, inferRows, unit);
  }
}
