package dev.sluice.activities.formats;

import java.util.Map;

/**
 * What a parsed page told us besides its records.
 *
 * @param records records handed to the sink
 * @param captured values of the requested JSON pointers found outside the records (a pointer whose
 *     value was absent or null maps to nothing), e.g. the next page's URL or cursor
 */
public record PageSummary(long records, Map<String, String> captured) {}
