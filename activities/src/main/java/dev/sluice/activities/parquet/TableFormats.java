package dev.sluice.activities.parquet;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.pipeline.LakeTable;
import dev.sluice.pipeline.ParquetSink;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The table formats of a worker, by the type of table they serve: the one place that chooses
 * between a Parquet folder and an Iceberg table. Built once per worker ({@code ActivityLibrary});
 * the activities ask {@link #of} for a request's table.
 */
public final class TableFormats {
  private final Map<Class<? extends LakeTable>, TableFormat> byType;

  private TableFormats(Map<Class<? extends LakeTable>, TableFormat> byType) {
    this.byType = Map.copyOf(byType);
  }

  /** A worker's formats: Parquet folders, plus what {@code more} registers. */
  public static TableFormats of(
      HadoopFiles files, Clock clock, Map<Class<? extends LakeTable>, TableFormat> more) {
    Map<Class<? extends LakeTable>, TableFormat> all = new LinkedHashMap<>();
    all.put(ParquetSink.class, new ParquetFormat(files, clock));
    all.putAll(more);
    return new TableFormats(all);
  }

  /** Parquet folders only (tests, tools that read Parquet tables). */
  public static TableFormats parquet(HadoopFiles files, Clock clock) {
    return of(files, clock, Map.of());
  }

  /**
   * The format of {@code table}.
   *
   * @throws InvalidSinkException when this worker has no format for its type
   */
  public TableFormat of(LakeTable table) {
    TableFormat format = byType.get(table.getClass());
    if (format == null) {
      throw new InvalidSinkException(
          "this worker cannot write " + table.getClass().getSimpleName() + " tables");
    }
    return format;
  }
}
