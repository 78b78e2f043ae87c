package dev.sluice.activities.parquet;

import java.util.List;
import org.apache.parquet.schema.MessageType;

/**
 * How a table format wants a run's staged files: the Parquet schema they are written in and, for a
 * partitioned table, the directory (under the staging directory) each row's file goes to. Asked by
 * {@link ParquetStagingWriter} each time the run's schema is fixed or widened, before any file in
 * that schema opens: a format may evolve its table's schema there, or refuse the columns.
 */
@FunctionalInterface
public interface StagingLayout {

  /** A plain Parquet table: the schema as {@link Column}s describe it, one directory. */
  StagingLayout PLAIN = columns -> new Fixed(ParquetSchema.of(columns), null);

  /**
   * The layout of files in {@code columns}.
   *
   * @throws SchemaMismatchException when the table cannot take these columns (nothing written)
   * @throws InvalidSinkException when the sink's definition does not fit them (say, a partition
   *     column the data lacks)
   */
  Fixed fix(List<Column> columns);

  /**
   * The key the run's file names derive from ({@code part-<key>-<seq>.parquet}): the run's key, so a
   * re-run of a window overwrites its predecessor's staged files; a format that must never touch
   * files an earlier run committed makes it unique to the run.
   */
  default String fileKey(String runKey) {
    return runKey;
  }

  /**
   * @param parquet the schema of the files
   * @param partitioner where each row goes, or null: every row in the staging directory itself
   */
  record Fixed(MessageType parquet, RowPartitioner partitioner) {}

  /** The directory of a row's partition. */
  @FunctionalInterface
  interface RowPartitioner {
    /**
     * @param row the row as the parser delivered it
     * @param sourceIndex schema column → index in {@code row}, or -1 when absent
     * @return a relative directory such as {@code ts_day=2026-11-22}
     */
    String directory(Object[] row, int[] sourceIndex);
  }
}
