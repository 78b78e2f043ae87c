package dev.sluice.activities.sandbox;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.AuthSpec;
import dev.sluice.pipeline.ExtractSpec;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.PaginationSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.RequestIdSpec;
import dev.sluice.pipeline.StatusSpec;
import dev.sluice.pipeline.SubmitSpec;
import java.util.Map;

/**
 * Sources over the sandbox's generic export API, in the shape of {@code
 * examples/generic-export-events.yaml}: API-key auth from a secret reference, the sync ID derived
 * from the {@code uri} of the submit response, and one of the API's paging styles.
 *
 * @param name how a test names this style in its display name
 * @param wireFormat the export's {@code format}: json, ndjson or csv
 * @param wireStyle the export's {@code pagination}: next-url, cursor, page, offset or none
 * @param format how Sluice parses a page
 * @param pagination how Sluice pages
 */
record GenericSource(
    String name,
    String wireFormat,
    String wireStyle,
    FormatSpec format,
    PaginationSpec pagination) {

  /** The export's own page size applies: the next URL carries it. */
  static GenericSource nextUrl() {
    return new GenericSource(
        "next-url, JSON at /data",
        "json",
        "next-url",
        json("/data"),
        new PaginationSpec.NextUrl("/links/next", null, null, null));
  }

  /** The export's own page size applies: the cursor carries the position only. */
  static GenericSource cursor() {
    return new GenericSource(
        "cursor, JSON at /result/items",
        "json",
        "cursor",
        json("/result/items"),
        new PaginationSpec.Cursor("/next_cursor", "cursor", null, null, null));
  }

  static GenericSource page(int pageSize) {
    return new GenericSource(
        "page, JSON array",
        "json",
        "page",
        json(""),
        new PaginationSpec.Page("page", null, "per_page", pageSize, null));
  }

  static GenericSource offset(String wireFormat, int pageSize) {
    FormatSpec format =
        switch (wireFormat) {
          case "json" -> json("/records");
          case "ndjson" -> FormatSpec.NDJSON;
          default -> FormatSpec.CSV;
        };
    return new GenericSource(
        "offset, " + wireFormat,
        wireFormat,
        "offset",
        format,
        new PaginationSpec.Offset("offset", null, "limit", pageSize, null));
  }

  static GenericSource unpaged(String wireFormat) {
    FormatSpec format =
        switch (wireFormat) {
          case "json" -> json("");
          case "ndjson" -> FormatSpec.NDJSON;
          default -> FormatSpec.CSV;
        };
    return new GenericSource(
        "none, " + wireFormat, wireFormat, "none", format, PaginationSpec.NONE);
  }

  private static FormatSpec json(String recordsPath) {
    return FormatSpec.Json.at(recordsPath);
  }

  /** The source exporting {@code records} events in pages of {@code pageSize}. */
  AsyncHttpSource source(String baseUrl, int pageSize, int records) {
    return source(baseUrl, pageSize, records, "");
  }

  /**
   * As {@link #source(String, int, int)}, with {@code query} (e.g. {@code ?gzip=true}) on the data
   * URL.
   */
  AsyncHttpSource source(String baseUrl, int pageSize, int records, String query) {
    AuthSpec auth =
        new AuthSpec.ApiKey("X-API-Key", SandboxFixture.API_KEY_REF);
    SubmitSpec submit =
        new SubmitSpec(
            "POST",
            baseUrl + "/generic/exports",
            Map.of("Content-Type", "application/json"),
            String.format(
                "{\"dataset\":\"events\",\"format\":\"%s\",\"pagination\":\"%s\",\"pageSize\":%d,\"records\":%d}",
                wireFormat, wireStyle, pageSize, records),
            new RequestIdSpec("body", "/uri", null, "/syncs/([0-9]+)$"));
    StatusSpec status =
        new StatusSpec(
            null,
            baseUrl + "/generic/syncs/${requestId}",
            null,
            "/status",
            "^ready$",
            "^failed$",
            "/error/message",
            null,
            null,
            null,
            null, null);
    ExtractSpec extract =
        new ExtractSpec(
            baseUrl + "/generic/syncs/${requestId}/data" + query,
            null,
            format,
            null,
            pagination,
            null,
            null, null);
    return new AsyncHttpSource(auth, submit, status, extract, null, null, null, null);
  }

  /** A sink with inferred columns only, rolling at {@code targetFileSize}. */
  static ParquetSink sink(String path, String targetFileSize, int inferRows) {
    return new ParquetSink(path, "snapshot", "zstd", targetFileSize, null, inferRows);
  }

  @Override
  public String toString() {
    return name;
  }
}
