package dev.sluice.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a client asked to export: {@code {"dataset":"events","format":…,"pagination":…,
 * "pageSize":N,"records":N,"survey":…,"after":…}}. CSV and NDJSON carry no envelope for a next-page token, so they only
 * page by {@code offset} (or not at all).
 */
record ExportSpec(
    String dataset,
    Format format,
    Pagination pagination,
    int pageSize,
    int records,
    String survey,
    int firstRow) {

  /** An export of the whole dataset (no survey). */
  ExportSpec(String dataset, Format format, Pagination pagination, int pageSize, int records) {
    this(dataset, format, pagination, pageSize, records, null, 0);
  }

  /** Body formats. */
  enum Format {
    JSON("application/json;charset=UTF-8"),
    NDJSON("application/x-ndjson;charset=UTF-8"),
    CSV("text/csv;charset=UTF-8");

    final String contentType;

    Format(String contentType) {
      this.contentType = contentType;
    }
  }

  /** Pagination styles, named on the wire in lower case with dashes ({@code next-url}). */
  enum Pagination {
    NEXT_URL,
    CURSOR,
    PAGE,
    OFFSET,
    NONE
  }

  static final String DATASET = "events";

  /** The nested dataset ({@link GenericOrders}): JSON and NDJSON only. */
  static final String ORDERS = "orders";
  private static final int DEFAULT_PAGE_SIZE = 100;

  /**
   * Reads and checks a create request.
   *
   * @param defaultRecords dataset size when the request has no {@code records}
   * @throws IllegalArgumentException naming the offending field
   */
  static ExportSpec parse(JsonNode body, int defaultRecords) {
    String dataset = body.path("dataset").asText();
    if (!dataset.equals(DATASET) && !dataset.equals(ORDERS)) {
      throw new IllegalArgumentException(
          "unknown dataset '" + dataset + "', the sandbox has '" + DATASET + "' and '" + ORDERS
              + "'");
    }
    Format format = wireEnum(Format.class, body.path("format").asText("json"), "format");
    if (dataset.equals(ORDERS) && format == Format.CSV) {
      throw new IllegalArgumentException("orders are nested: export them as json or ndjson");
    }
    Pagination pagination =
        wireEnum(Pagination.class, body.path("pagination").asText("none"), "pagination");
    if (format != Format.JSON && pagination != Pagination.OFFSET && pagination != Pagination.NONE) {
      throw new IllegalArgumentException(
          format + " exports page by offset or none, not " + pagination);
    }
    int pageSize = body.path("pageSize").asInt(DEFAULT_PAGE_SIZE);
    int records = body.path("records").asInt(defaultRecords);
    if (pageSize < 1 || records < 0) {
      throw new IllegalArgumentException("pageSize must be >= 1 and records >= 0");
    }
    return new ExportSpec(dataset, format, pagination, pageSize, records);
  }

  /**
   * As {@link #parse(JsonNode, int)}; an optional {@code "survey"} limits the export to that
   * survey's rows ({@link Surveys}, with the responses added to it), and an optional {@code
   * "after"} (an ISO-8601 instant, an incremental client's watermark) to the rows whose {@code
   * created_at} is later.
   *
   * @throws IllegalArgumentException naming the offending field, or an unknown survey
   */
  static ExportSpec parse(JsonNode body, int defaultRecords, Surveys surveys) {
    ExportSpec spec = parse(body, defaultRecords);
    if (body.hasNonNull("survey")) {
      String survey = body.get("survey").asText();
      spec =
          new ExportSpec(
              spec.dataset(),
              spec.format(),
              spec.pagination(),
              spec.pageSize(),
              spec.records() + surveys.added(survey),
              survey,
              surveys.firstRow(survey));
    }
    if (!body.hasNonNull("after")) {
      return spec;
    }
    Instant after;
    try {
      after = Instant.parse(body.get("after").asText());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "after must be an ISO-8601 instant, got '" + body.get("after").asText() + "'");
    }
    return spec.after(after);
  }

  /** Only the rows created after {@code after}: the leading ones are skipped. */
  ExportSpec after(Instant after) {
    // Row i was created at FIRST_CREATED + i steps: the last row at or before `after` is floor(..).
    long lastAtOrBefore =
        Math.floorDiv(
            Duration.between(GenericData.FIRST_CREATED, after).toMillis(),
            GenericData.STEP.toMillis());
    int skip = (int) Math.max(0, Math.min(records, lastAtOrBefore - firstRow + 1));
    return new ExportSpec(
        dataset, format, pagination, pageSize, records - skip, survey, firstRow + skip);
  }

  private static <E extends Enum<E>> E wireEnum(Class<E> type, String wireName, String field) {
    return Arrays.stream(type.getEnumConstants())
        .filter(e -> e.name().replace('_', '-').equalsIgnoreCase(wireName))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unsupported "
                        + field
                        + " '"
                        + wireName
                        + "', expected one of "
                        + Arrays.stream(type.getEnumConstants())
                            .map(e -> e.name().replace('_', '-').toLowerCase(Locale.ROOT))
                            .toList()));
  }
}
