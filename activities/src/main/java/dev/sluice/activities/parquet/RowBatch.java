package dev.sluice.activities.parquet;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One hand-over of rows to the writer thread: rows as parsed, of which the first {@code converted}
 * were converted ahead ({@link AheadConversion}), with the column mapping they were read with and
 * the support and files of the schema they belong to (a widening replaces both for later batches).
 * Rows whose watermark lies outside {@code range} are dropped and counted in {@code dropped}.
 *
 * @param filterIndex schema index of the watermark column when rows outside the range are dropped,
 *     else -1
 */
record RowBatch(
    Object[][] rows,
    int converted,
    int[] mapping,
    RowWriteSupport support,
    FileSet files,
    WatermarkRange range,
    int filterIndex,
    AtomicLong dropped)
    implements Runnable {

  @Override
  public void run() {
    support.sourceIndex(mapping);
    files.sourceIndex(mapping);
    int at = filterIndex < 0 ? -1 : mapping[filterIndex];
    for (int r = 0; r < rows.length; r++) {
      Object[] row = rows[r];
      boolean ahead = r < converted; // a converted row is in schema order
      if (filterIndex >= 0) {
        // A row converted ahead carries its watermark's typed value: not parsed again here.
        boolean keep =
            ahead
                ? range.keepsConverted((AheadConversion.Watermark) row[filterIndex])
                : range.keeps(at >= 0 && at < row.length ? row[at] : null);
        if (!keep) {
          dropped.incrementAndGet();
          continue;
        }
      }
      support.convertedAhead(ahead);
      files.write(row);
    }
  }
}
