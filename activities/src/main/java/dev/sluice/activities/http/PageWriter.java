package dev.sluice.activities.http;

import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.activities.parquet.RecordSink;

/**
 * Where {@link PagedExtractor} writes the records of each page, with durable checkpoints between
 * pages. The production implementation is {@link ParquetPageWriter}.
 */
public interface PageWriter extends RecordSink {

  /**
   * Marks the end of a complete page.
   *
   * @return a new durable state when a file was completed, else null
   */
  WriterState endPage();

  /**
   * Makes every page ended so far durable: completes the open file, if any, even below its target
   * size.
   *
   * @return the new durable state, or null while records are still held back (before the schema is
   *     fixed) and nothing can be made durable yet
   */
  WriterState checkpoint();

  /** Completes the last file and returns the final state. */
  WriterState finish();

  /** Abandons the unfinished file (after a failure); completed files stay. */
  void close();
}
