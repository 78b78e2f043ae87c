package dev.sluice.activities.http;

import dev.sluice.activities.parquet.ParquetStagingWriter;
import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import java.util.List;

/** {@link PageWriter} over the Parquet staging writer. */
public final class ParquetPageWriter implements PageWriter {
  private final ParquetStagingWriter writer;

  /**
   * @param writer the staging writer of one extraction attempt
   */
  public ParquetPageWriter(ParquetStagingWriter writer) {
    this.writer = writer;
  }

  @Override
  public void columns(List<String> names) {
    writer.columns(names);
  }

  /** The staging writer's answer: records pass through unchanged. */
  @Override
  public boolean takesUtf8Text() {
    return writer.takesUtf8Text();
  }

  @Override
  public void record(Object[] values) {
    writer.record(values);
  }

  @Override
  public WriterState endPage() {
    return writer.endPage();
  }

  @Override
  public WriterState checkpoint() {
    return writer.checkpoint();
  }

  @Override
  public WriterState finish() {
    return writer.finish();
  }

  @Override
  public void close() {
    writer.close();
  }
}
