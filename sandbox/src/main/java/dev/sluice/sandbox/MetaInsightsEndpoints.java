package dev.sluice.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.sandbox.MetaInsightsEmulator.Event;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Graph API's asynchronous Insights under {@code /graph/vNN.N}: {@code POST /act_{id}/insights}
 * starts a report run, {@code GET /{report_run_id}} reads it, {@code GET /{report_run_id}/insights}
 * pages through its rows ({@code limit}, {@code after}; {@code paging.cursors.before/after}, {@code
 * paging.next} while more remain). Parameters come from the query string or a form body, the token
 * from {@code access_token} or {@code Authorization: Bearer}.
 */
final class MetaInsightsEndpoints {

  static final String PREFIX = "/graph/v(\\d+\\.\\d+)";
  private static final int DEFAULT_LIMIT = 25;

  private final MetaInsightsEmulator emulator;
  private final Counters<Event> counters;
  private final Clock clock;
  private final String baseUrl;
  private final Map<String, MetaReportRun> runs = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(6_023_920_149_000L);
  private final AtomicInteger maxRunsInFlight = new AtomicInteger();

  MetaInsightsEndpoints(
      MetaInsightsEmulator emulator, Counters<Event> counters, Clock clock, String baseUrl) {
    this.emulator = emulator;
    this.counters = counters;
    this.clock = clock;
    this.baseUrl = baseUrl;
  }

  void register(Router router) {
    router
        .route("POST", PREFIX + "/act_(\\d+)/insights", "createRun", this::create)
        .route("GET", PREFIX + "/(\\d+)", "readRun", this::read)
        .route("GET", PREFIX + "/(\\d+)/insights", "insights", this::insights);
  }

  long inFlight() {
    return runs.values().stream().filter(r -> !r.finished()).count();
  }

  int maxInFlight() {
    return maxRunsInFlight.get();
  }

  void clear() {
    runs.clear();
    maxRunsInFlight.set(0);
  }

  private Response create(Request request) {
    Map<String, String> params = params(request);
    authenticate(request, params);
    LocalDate[] range = timeRange(params.get("time_range"));
    String increment = params.getOrDefault("time_increment", "all_days");
    if (!increment.equals("1") && !increment.equals("all_days")) {
      throw graphError(400, 100, "(#100) the sandbox serves time_increment 1 or all_days only");
    }
    String level = params.getOrDefault("level", "account");
    if (!level.equals("account") && !level.equals("campaign")) {
      throw graphError(400, 100, "(#100) the sandbox serves level account or campaign only");
    }
    Set<String> fields = fields(params.get("fields"));
    String accountId = request.pathParam(2);
    boolean tooMuch = ChronoUnit.DAYS.between(range[0], range[1]) + 1 > emulator.maxDays();
    List<ObjectNode> rows =
        tooMuch
            ? List.of()
            : new MetaInsightsRows(emulator.seed(), accountId, emulator.campaigns())
                .rows(range[0], range[1], level.equals("campaign"), increment.equals("1"), fields);
    String id = Long.toString(ids.incrementAndGet());
    runs.put(
        id, new MetaReportRun(id, accountId, range[0], range[1], clock.instant(), rows, tooMuch));
    counters.increment(Event.RUN_CREATED);
    maxRunsInFlight.accumulateAndGet((int) inFlight(), Math::max);
    return Response.json(200, Json.object().put("report_run_id", id));
  }

  private Response read(Request request) {
    authenticate(request, params(request));
    MetaReportRun run = run(request.pathParam(2));
    run.read(emulator.pollsBeforeComplete(), clock.instant());
    counters.increment(Event.STATUS_READ);
    return Response.json(200, run.json());
  }

  private Response insights(Request request) {
    Map<String, String> params = params(request);
    authenticate(request, params);
    MetaReportRun run = run(request.pathParam(2));
    if (run.failed()) {
      throw tooMuchData();
    }
    if (!run.completed()) {
      throw graphError(400, 100, "(#100) Report run " + run.id() + " is not completed yet");
    }
    int limit = intParam(params, "limit", DEFAULT_LIMIT);
    int from = params.containsKey("after") ? cursorOffset(params.get("after")) + 1 : 0;
    List<ObjectNode> rows = run.rows();
    int to = Math.min(rows.size(), from + Math.max(1, limit));
    counters.increment(Event.INSIGHTS_PAGE);
    ObjectNode body = Json.object();
    ArrayNode data = body.putArray("data");
    rows.subList(Math.min(from, to), to).forEach(data::add);
    if (to > from) {
      ObjectNode paging = body.putObject("paging");
      paging.putObject("cursors").put("before", cursor(from)).put("after", cursor(to - 1));
      if (to < rows.size()) {
        String token = request.queryParam("access_token").orElse(null);
        paging.put(
            "next",
            baseUrl
                + "/graph/v"
                + request.pathParam(1)
                + "/"
                + run.id()
                + "/insights?"
                + (token == null ? "" : "access_token=" + encode(token) + "&")
                + "limit="
                + limit
                + "&after="
                + cursor(to - 1));
      }
    }
    return Response.json(200, body);
  }

  private MetaReportRun run(String id) {
    MetaReportRun run = runs.get(id);
    if (run == null) {
      throw new HttpFailure(
          MetaInsightsEmulator.error(
              400,
              100,
              "GraphMethodException",
              "Unsupported get request. Object with ID '" + id + "' does not exist"));
    }
    return run;
  }

  private void authenticate(Request request, Map<String, String> params) {
    String authorization = request.header("Authorization");
    String token =
        authorization != null && authorization.startsWith("Bearer ")
            ? authorization.substring(7).trim()
            : params.get("access_token");
    if (!MetaInsightsEmulator.TOKEN.equals(token)) {
      counters.increment(Event.UNAUTHORIZED);
      throw new HttpFailure(
          MetaInsightsEmulator.error(
              400,
              190,
              "OAuthException",
              "Invalid OAuth access token - Cannot parse access token"));
    }
  }

  /** Query parameters, overlaid with a form or JSON body's (the Graph API takes either). */
  private static Map<String, String> params(Request request) {
    Map<String, String> params = new HashMap<>(request.query());
    String type = request.header("Content-Type");
    if (request.body().length == 0 || type == null) {
      return params;
    }
    if (type.startsWith("application/json")) {
      JsonNode body =
          Json.readObject(
              request.body(), m -> MetaInsightsEmulator.error(400, 100, "OAuthException", m));
      body.fields()
          .forEachRemaining(
              e ->
                  params.put(
                      e.getKey(),
                      e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    } else {
      params.putAll(Request.parseForm(request.bodyText()));
    }
    return params;
  }

  private static LocalDate[] timeRange(String raw) {
    if (raw == null) {
      throw graphError(400, 100, "(#100) the sandbox needs a time_range {\"since\",\"until\"}");
    }
    try {
      JsonNode range = Json.MAPPER.readTree(raw);
      LocalDate since = LocalDate.parse(range.path("since").asText());
      LocalDate until = LocalDate.parse(range.path("until").asText());
      if (until.isBefore(since)) {
        throw graphError(400, 100, "(#100) time_range: since must not be after until");
      }
      return new LocalDate[] {since, until};
    } catch (java.io.IOException | DateTimeParseException e) {
      throw graphError(
          400,
          100,
          "(#100) time_range must be {\"since\":\"YYYY-MM-DD\",\"until\":\"YYYY-MM-DD\"}");
    }
  }

  private static Set<String> fields(String raw) {
    Set<String> fields = new LinkedHashSet<>();
    if (raw == null || raw.isBlank()) {
      return fields;
    }
    for (String field : raw.split(",")) {
      String name = field.trim();
      if (!MetaInsightsRows.FIELDS.contains(name)
          && !name.equals("date_start")
          && !name.equals("date_stop")) {
        throw graphError(400, 100, "(#100) " + name + " is not valid for fields param");
      }
      fields.add(name);
    }
    return fields;
  }

  private static int intParam(Map<String, String> params, String name, int fallback) {
    String raw = params.get(name);
    try {
      return raw == null ? fallback : Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw graphError(400, 100, "(#100) param " + name + " must be an integer");
    }
  }

  /** Cursors are opaque to clients; the sandbox's are the Base64 of a row index. */
  private static String cursor(int index) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(Integer.toString(index).getBytes(StandardCharsets.US_ASCII));
  }

  private static int cursorOffset(String cursor) {
    try {
      return Integer.parseInt(
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw graphError(400, 100, "(#100) Invalid cursor: " + cursor);
    }
  }

  static HttpFailure tooMuchData() {
    ObjectNode body = Json.object();
    body.putObject("error")
        .put("message", MetaReportRun.TOO_MUCH_DATA_MESSAGE)
        .put("type", "OAuthException")
        .put("code", MetaReportRun.TOO_MUCH_DATA_CODE)
        .put("error_subcode", MetaReportRun.TOO_MUCH_DATA_SUBCODE)
        .put("is_transient", false)
        .put("fbtrace_id", "SandboxTrace");
    return new HttpFailure(Response.json(400, body));
  }

  private static HttpFailure graphError(int status, int code, String message) {
    return new HttpFailure(MetaInsightsEmulator.error(status, code, "OAuthException", message));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
