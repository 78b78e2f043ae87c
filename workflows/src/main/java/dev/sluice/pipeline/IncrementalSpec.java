package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Incremental extraction. The highest value of {@code column} already published is stored beside
 * the table and offered to the next run's submit as {@code ${watermark}}.
 *
 * @param column the watermark column (e.g. {@code SystemModstamp})
 * @param initial the watermark of the very first run (e.g. {@code 1970-01-01T00:00:00Z})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IncrementalSpec(String column, String initial) {}
