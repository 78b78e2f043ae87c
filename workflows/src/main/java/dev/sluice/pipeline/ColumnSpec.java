package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A declared output column.
 *
 * @param name column name as the source names it
 * @param type {@code string}, {@code long}, {@code double}, {@code boolean}, {@code timestamp},
 *     {@code date} or {@code decimal(P,S)}
 * @param format timestamp/date: optional {@link java.time.format.DateTimeFormatter} pattern
 *     (default ISO-8601)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ColumnSpec(String name, String type, String format) {}
