package dev.sluice.activities.storage;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.AuthSpec;
import dev.sluice.pipeline.ExtractSpec;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.PaginationSpec;
import dev.sluice.pipeline.RequestIdSpec;
import dev.sluice.pipeline.StatusSpec;
import dev.sluice.pipeline.SubmitSpec;
import dev.sluice.sandbox.GenericData;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's generic export API in the shape of {@code examples/generic-export-events.yaml}:
 * API-key auth from a secret reference, NDJSON pages fetched by offset.
 */
final class ExportSource {
  static final String API_KEY_REF = "${env:EXPORT_API_KEY}";

  private ExportSource() {}

  /** Exports {@code records} events in pages of {@code pageSize}. */
  static AsyncHttpSource events(String baseUrl, int pageSize, int records) {
    AuthSpec auth =
        new AuthSpec.ApiKey("X-API-Key", API_KEY_REF);
    SubmitSpec submit =
        new SubmitSpec(
            "POST",
            baseUrl + "/generic/exports",
            Map.of("Content-Type", "application/json"),
            String.format(
                "{\"dataset\":\"events\",\"format\":\"ndjson\",\"pagination\":\"offset\",\"pageSize\":%d,\"records\":%d}",
                pageSize, records),
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
            baseUrl + "/generic/syncs/${requestId}/data",
            null,
            FormatSpec.NDJSON,
            null,
            new PaginationSpec.Offset("offset", null, "limit", pageSize, null),
            null,
            null, null);
    return new AsyncHttpSource(auth, submit, status, extract, null, null, null, null);
  }

  /**
   * Events {@code [from, to)} as the sink should store them, computed from the sandbox's own
   * generator: id long, amount double, active boolean, created_at epoch micros, the rest text.
   */
  static List<Map<String, Object>> expectedRows(long seed, int from, int to) {
    return GenericData.rows(seed, from, to).stream()
        .map(
            source -> {
              Map<String, Object> row = new LinkedHashMap<>(source);
              row.put(
                  "created_at",
                  ChronoUnit.MICROS.between(
                      Instant.EPOCH, Instant.parse((String) source.get("created_at"))));
              return (Map<String, Object>) row;
            })
        .toList();
  }
}
