package dev.sluice.activities.iceberg;

import dev.sluice.activities.parquet.Column;
import dev.sluice.activities.parquet.StagingLayout;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.activities.parquet.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;

/**
 * How a run stages files for an Iceberg table: when its schema is fixed (or widened), before any
 * file opens, the table is created if it is not there yet, its schema admits the run's columns
 * ({@link SchemaEvolution}: added, widened, or refused with nothing written), and the files are
 * written with the table's field IDs, one directory per partition.
 *
 * @param catalogs the worker's catalogs
 * @param sink the table
 * @param runId the Temporal run staging (its files' names carry it)
 */
record IcebergStaging(IcebergCatalogs catalogs, IcebergSink sink, String runId)
    implements StagingLayout {

  /**
   * {@code <runKey>-<first 8 characters of the Temporal run>}: the same for every attempt of the
   * run (a retried extract resumes its own files), another for a re-run of the window, whose files
   * must never replace the files the table's snapshots hold.
   */
  @Override
  public String fileKey(String runKey) {
    String run = runId.replaceAll("[^A-Za-z0-9]", "");
    return runKey + "-" + run.substring(0, Math.min(8, run.length()));
  }

  /**
   * {@inheritDoc} A work unit's run ({@link IcebergSink#unit()}) whose data lacks the unit's column
   * adds it to the table (a string) but not to its files: its rows' partition holds the value,
   * which readers fill in for files without the column, as the Iceberg spec requires.
   */
  @Override
  public Fixed fix(List<Column> columns) {
    List<Column> tableColumns = columns;
    Map<String, String> constants = Map.of();
    IcebergSink.Unit unit = sink.unit();
    if (unit != null && columns.stream().noneMatch(c -> c.name().equals(unit.column()))) {
      tableColumns = new ArrayList<>(columns);
      tableColumns.add(Column.of(unit.column(), ColumnType.STRING));
      constants = Map.of(unit.column(), unit.value());
    }
    Table table = catalogs.loadOrCreate(sink, IcebergTypes.schema(tableColumns));
    Schema schema = SchemaEvolution.admit(table, tableColumns);
    Fixed plain = PLAIN.fix(columns);
    RowPartitioner partitioner =
        table.spec().isUnpartitioned()
            ? null
            : new RowPartitions(table.spec(), schema, columns, constants);
    return new Fixed(ParquetFieldIds.apply(plain.parquet(), schema), partitioner);
  }
}
