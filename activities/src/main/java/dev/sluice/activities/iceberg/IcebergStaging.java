package dev.sluice.activities.iceberg;

import dev.sluice.activities.parquet.Column;
import dev.sluice.activities.parquet.StagingLayout;
import dev.sluice.pipeline.IcebergSink;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;

/**
 * How a run stages files for an Iceberg table: when its schema is fixed (or widened), before any
 * file opens, the table is created if it is not there yet, its schema admits the run's columns
 * ({@link SchemaEvolution}: added, widened, or refused with nothing written), and the files are
 * written with the table's field IDs, one directory per partition.
 */
final class IcebergStaging implements StagingLayout {
  private final IcebergCatalogs catalogs;
  private final IcebergSink sink;
  private final String runId;

  IcebergStaging(IcebergCatalogs catalogs, IcebergSink sink, String runId) {
    this.catalogs = catalogs;
    this.sink = sink;
    this.runId = runId;
  }

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

  @Override
  public Fixed fix(List<Column> columns) {
    Table table = catalogs.loadOrCreate(sink, IcebergTypes.schema(columns));
    Schema schema = SchemaEvolution.admit(table, columns);
    Fixed plain = PLAIN.fix(columns);
    RowPartitioner partitioner =
        table.spec().isUnpartitioned() ? null : new RowPartitions(table.spec(), schema, columns);
    return new Fixed(ParquetFieldIds.apply(plain.parquet(), schema), partitioner);
  }
}
