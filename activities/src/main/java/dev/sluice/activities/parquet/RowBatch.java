package dev.sluice.activities.parquet;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One hand-over of rows to the writer thread: rows as parsed, of which the first {@code converted}
 * were converted ahead ({@link AheadConversion}), with the column mapping they were read with and
 * the support and files of the schema they belong to (a widening replaces both for later batches).
 * Rows whose watermark lies outside {@code range} are dropped and counted in {@code dropped}; rows
 * converted ahead are inside it already: the parser's thread dropped the others before the batch
 * ({@link #outside}), so the writer thread, the slower one, does not look at their watermark again.
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
      if (filterIndex >= 0
          && !ahead
          && !range.keeps(at >= 0 && at < row.length ? row[at] : null)) {
        dropped.incrementAndGet();
        continue;
      }
      support.convertedAhead(ahead);
      files.write(row);
    }
  }

  /**
   * Whether a row converted ahead lies outside the window's {@code range}, decided on the parser's
   * thread from the typed watermark it already has; such a row is counted as dropped and never
   * batched.
   *
   * @param filterIndex schema index of the watermark column when rows are dropped, else -1
   */
  static boolean outside(WatermarkRange range, int filterIndex, Object[] converted) {
    return filterIndex >= 0
        && !range.keepsConverted((AheadConversion.Watermark) converted[filterIndex]);
  }
}
