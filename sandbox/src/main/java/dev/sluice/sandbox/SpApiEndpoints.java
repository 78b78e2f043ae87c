package dev.sluice.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sluice.sandbox.SpApiEmulator.Event;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Login with Amazon's token endpoint ({@code POST /auth/o2/token}, {@code
 * grant_type=refresh_token}) and the Reports API 2021-06-30: {@code createReport}, {@code
 * getReport}, {@code cancelReport} and {@code getReportDocument}, each behind the {@code
 * x-amz-access-token} header.
 */
final class SpApiEndpoints {

  static final String REPORTS = "/reports/2021-06-30/reports";
  static final String DOCUMENTS = "/reports/2021-06-30/documents";

  private final SpApiEmulator emulator;
  private final TokenStore tokens;
  private final PresignedBucket bucket;
  private final Counters<Event> counters;
  private final Clock clock;
  private final Map<String, SpApiReport> reports = new ConcurrentHashMap<>();
  private final Map<String, String> documentKeys = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(50_000);

  SpApiEndpoints(
      SpApiEmulator emulator,
      TokenStore tokens,
      PresignedBucket bucket,
      Counters<Event> counters,
      Clock clock) {
    this.emulator = emulator;
    this.tokens = tokens;
    this.bucket = bucket;
    this.counters = counters;
    this.clock = clock;
  }

  void register(Router router) {
    router
        .route("POST", "/auth/o2/token", "token", this::token)
        .route("POST", REPORTS, "createReport", this::create)
        .route("GET", REPORTS + "/([\\w.-]+)", "getReport", this::get)
        .route("DELETE", REPORTS + "/([\\w.-]+)", this::cancel)
        .route("GET", DOCUMENTS + "/([\\w.-]+)", "getReportDocument", this::document);
  }

  /** Reports that are neither DONE, CANCELLED nor FATAL. */
  long inFlight() {
    return reports.values().stream().filter(r -> !r.status().finished()).count();
  }

  List<SpApiReport> all() {
    return new ArrayList<>(reports.values());
  }

  void clear() {
    reports.clear();
    documentKeys.clear();
  }

  private Response token(Request request) {
    Map<String, String> form = Request.parseForm(request.bodyText());
    if (!"refresh_token".equals(form.get("grant_type"))) {
      return lwaError(
          400, "unsupported_grant_type", "The authorization grant type is not supported");
    }
    if (!SpApiEmulator.CLIENT_ID.equals(form.get("client_id"))
        || !SpApiEmulator.CLIENT_SECRET.equals(form.get("client_secret"))) {
      return lwaError(401, "invalid_client", "Client authentication failed");
    }
    if (!SpApiEmulator.REFRESH_TOKEN.equals(form.get("refresh_token"))
        || emulator.refuseGrant()) {
      return lwaError(
          400, "invalid_grant", "The request has an invalid grant parameter : refresh_token");
    }
    counters.increment(Event.TOKEN_GRANT);
    return Response.json(
        200,
        Json.object()
            .put("access_token", tokens.issue("Atza|"))
            .put("refresh_token", SpApiEmulator.REFRESH_TOKEN)
            .put("token_type", "bearer")
            .put("expires_in", tokens.ttl().toSeconds()));
  }

  private Response create(Request request) {
    authenticate(request);
    JsonNode body = Json.readObject(request.body(), m -> error(400, "InvalidInput", m));
    String reportType = body.path("reportType").asText("");
    if (reportType.isBlank()) {
      throw new HttpFailure(error(400, "InvalidInput", "reportType is required"));
    }
    List<String> marketplaces = new ArrayList<>();
    body.path("marketplaceIds").forEach(m -> marketplaces.add(m.asText()));
    if (marketplaces.isEmpty()) {
      throw new HttpFailure(error(400, "InvalidInput", "marketplaceIds is required"));
    }
    Instant start = time(body, "dataStartTime");
    Instant end = time(body, "dataEndTime");
    if (start != null && end != null && end.isBefore(start)) {
      throw new HttpFailure(
          error(400, "InvalidInput", "dataEndTime must not be before dataStartTime"));
    }
    String id = Long.toString(ids.incrementAndGet());
    reports.put(id, new SpApiReport(id, reportType, marketplaces, start, end, clock.instant()));
    counters.increment(Event.REPORT_CREATED);
    // createReport answers 202 Accepted with the report's ID only.
    return Response.json(202, Json.object().put("reportId", id));
  }

  private Response get(Request request) {
    authenticate(request);
    SpApiReport report = report(request.pathParam(1));
    counters.increment(Event.STATUS_POLL);
    if (report.poll(emulator.processing(), clock.instant())) {
      finish(report);
    }
    return Response.json(200, report.json());
  }

  private Response cancel(Request request) {
    authenticate(request);
    SpApiReport report = report(request.pathParam(1));
    if (!report.cancel(clock.instant())) {
      throw new HttpFailure(
          error(
              400,
              "InvalidInput",
              "Only reports with processingStatus IN_QUEUE can be cancelled; report "
                  + report.id()
                  + " is "
                  + report.status()));
    }
    counters.increment(Event.CANCEL);
    return new Response(200, Response.JSON, Map.of(), new byte[0]);
  }

  private Response document(Request request) {
    authenticate(request);
    String documentId = request.pathParam(1);
    String key = documentKeys.get(documentId);
    if (key == null) {
      throw new HttpFailure(error(404, "NotFound", "Report document " + documentId + " not found"));
    }
    counters.increment(Event.DOCUMENT_REQUEST);
    // A fresh pre-signed URL on every call, as getReportDocument hands out; compressionAlgorithm
    // only when the document is compressed (the field is optional).
    var answer =
        Json.object()
            .put("reportDocumentId", documentId)
            .put("url", bucket.presign(key, emulator.urlTtl()));
    if (key.endsWith(".gz")) {
      answer.put("compressionAlgorithm", "GZIP");
    }
    return Response.json(200, answer);
  }

  /** Stores the document of a report that just finished: its rows, or why it failed. */
  private void finish(SpApiReport report) {
    byte[] content =
        switch (report.status()) {
          case DONE -> report.content(emulator.seed(), emulator.rows());
          case FATAL ->
              Json.bytes(
                  Json.object()
                      .put("errorDetails", "Report processing failed (sandbox knob: FATAL)"));
          default -> null;
        };
    if (content == null) {
      return;
    }
    String documentId = "amzn1.spdoc.1.4.na." + report.id();
    boolean gzip = emulator.gzipDocuments();
    String key = "reports/" + report.id() + (gzip ? ".gz" : ".txt");
    if (gzip) {
      bucket.put(key, Gzip.compress(content), "application/gzip");
    } else {
      bucket.put(key, content, "text/tab-separated-values;charset=UTF-8");
    }
    documentKeys.put(documentId, key);
    report.documentId(documentId);
  }

  private SpApiReport report(String id) {
    SpApiReport report = reports.get(id);
    if (report == null) {
      throw new HttpFailure(error(404, "NotFound", "Report " + id + " not found"));
    }
    return report;
  }

  private void authenticate(Request request) {
    String token = request.header("x-amz-access-token");
    if (!tokens.isValid(token)) {
      counters.increment(Event.UNAUTHORIZED);
      // SP-API answers a bad access token with 403 (not 401), code Unauthorized.
      throw new HttpFailure(
          error(
                  403,
                  "Unauthorized",
                  "Access to requested resource is denied.",
                  tokens.wasIssued(token)
                      ? "The access token you provided has expired."
                      : "The access token you provided is revoked, malformed or invalid.")
              .withHeader("x-amzn-ErrorType", "AccessDeniedException"));
    }
  }

  private static Instant time(JsonNode body, String field) {
    if (!body.hasNonNull(field)) {
      return null;
    }
    try {
      return OffsetDateTime.parse(body.get(field).asText()).toInstant();
    } catch (DateTimeParseException e) {
      throw new HttpFailure(
          error(400, "InvalidInput", field + " is not an ISO 8601 date-time: " + body.get(field)));
    }
  }

  /** The Selling Partner API's error list: {@code {"errors":[{"code","message","details"}]}}. */
  static Response error(int status, String code, String message) {
    return error(status, code, message, "");
  }

  private static Response error(int status, String code, String message, String details) {
    var body = Json.object();
    ArrayNode errors = body.putArray("errors");
    errors.addObject().put("code", code).put("message", message).put("details", details);
    return Response.json(status, body);
  }

  private static Response lwaError(int status, String error, String description) {
    return Response.json(
        status, Json.object().put("error", error).put("error_description", description));
  }
}
