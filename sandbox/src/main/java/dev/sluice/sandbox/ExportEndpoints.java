package dev.sluice.sandbox;

import dev.sluice.sandbox.GenericExportEmulator.Event;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The generic async export API: {@code POST /generic/exports}, {@code GET /generic/syncs/{id}},
 * {@code GET /generic/syncs/{id}/data} and {@code DELETE /generic/syncs/{id}}, all behind the
 * {@code X-API-Key} header.
 */
final class ExportEndpoints {

  private static final String SYNC = "/generic/syncs/([0-9]+)";

  private final SandboxConfig config;
  private final ExportStore exports;
  private final GenericKnobs knobs;
  private final Counters<Event> counters;
  private final ExportPages pages;
  private final Surveys surveys;

  ExportEndpoints(
      SandboxConfig config,
      ExportStore exports,
      GenericKnobs knobs,
      Counters<Event> counters,
      ExportPages pages,
      Surveys surveys) {
    this.surveys = surveys;
    this.config = config;
    this.exports = exports;
    this.knobs = knobs;
    this.counters = counters;
    this.pages = pages;
  }

  void register(Router router) {
    router
        .route("POST", "/generic/exports", "export-create", this::create)
        .route("GET", SYNC, "export-status", this::status)
        .route("GET", SYNC + "/data", "export-data", this::data)
        .route("DELETE", SYNC, "export-delete", this::delete);
  }

  /**
   * 204 for an export that exists: what a client sends to abort a running export or discard a
   * finished one. The export stays listed in the stats; {@code requests("export-delete")} counts.
   */
  private Response delete(Request request) {
    authenticate(request);
    exports.get(request.pathParam(1));
    return new Response(204, null, Map.of(), new byte[0]);
  }

  /** 202 with the status URI; a repeated {@code Idempotency-Key} returns the earlier export. */
  private Response create(Request request) {
    authenticate(request);
    ExportSpec spec;
    try {
      spec =
          ExportSpec.parse(
              Json.readObject(request.body(), m -> Response.error(400, m)),
              config.eventRecords(),
              surveys);
    } catch (IllegalArgumentException e) {
      return Response.error(400, e.getMessage());
    }
    Export export = exports.create(spec, request.header("Idempotency-Key"));
    if (spec.survey() != null && surveys.takeFailure(spec.survey())) {
      export.failWith("survey " + spec.survey() + " is locked for maintenance");
    }
    return Response.json(
            202,
            Json.object().put("uri", export.uri()).put("status", Export.wireName(export.status())))
        .withHeader("Location", export.uri());
  }

  private Response status(Request request) {
    authenticate(request);
    Export export = exports.get(request.pathParam(1));
    export.poll(knobs.pollsBeforeReady(), knobs.failMessage());
    counters.increment(Event.STATUS_POLL);
    return Response.json(200, export.statusJson());
  }

  private Response data(Request request) {
    authenticate(request);
    Export export = exports.get(request.pathParam(1));
    if (export.status() != Export.Status.READY) {
      return Response.error(
          409, "export " + export.id() + " is " + Export.wireName(export.status()) + ", not ready");
    }
    if (knobs.redirectLoop()) {
      // To itself: a client following redirects comes back here until it gives up.
      return new Response(302, null, Map.of("Location", pathAndQuery(request)), new byte[0]);
    }
    counters.increment(Event.DATA_PAGE);
    Optional<GenericKnobs.BadPage> bad = knobs.nextDataPage();
    if (bad.isPresent()) {
      return ExportPages.bad(bad.get(), export.spec().format());
    }
    return pages.render(export, request, knobs);
  }

  private static String pathAndQuery(Request request) {
    StringBuilder url = new StringBuilder(request.path());
    char separator = '?';
    for (Map.Entry<String, String> param : new TreeMap<>(request.query()).entrySet()) {
      url.append(separator)
          .append(URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8));
      separator = '&';
    }
    return url.toString();
  }

  private void authenticate(Request request) {
    if (!config.apiKey().equals(request.header("X-API-Key"))) {
      counters.increment(Event.UNAUTHORIZED);
      throw new HttpFailure(Response.error(401, "invalid api key"));
    }
  }
}
