package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Incremental extraction. The highest value of {@code column} already published is stored beside
 * the table and offered to the next run's submit as {@code ${watermark}}.
 *
 * @param column the watermark column (e.g. {@code SystemModstamp})
 * @param initial the watermark of the very first run (e.g. {@code 1970-01-01T00:00:00Z})
 * @param openEnd the {@code ${watermarkEnd}} of a new window, which has no upper bound of its own
 *     (a value above any watermark, e.g. {@code 9999-12-31T23:59:59Z}); a re-run of a committed
 *     window gets the highest value it published instead. Null: a template that uses {@code
 *     ${watermarkEnd}} is refused by validation
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IncrementalSpec(String column, String initial, String openEnd) {

  /** Without {@code openEnd}. */
  public IncrementalSpec(String column, String initial) {
    this(column, initial, null);
  }
}
