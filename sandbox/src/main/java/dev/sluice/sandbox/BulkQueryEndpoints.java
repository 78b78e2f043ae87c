package dev.sluice.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.sandbox.SalesforceEmulator.Event;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;

/**
 * Bulk API 2.0 query jobs: create, status, results, parallel result pages, abort and delete under
 * {@code /services/data/vNN.N/jobs/query}, all behind a bearer token.
 */
final class BulkQueryEndpoints {

  private static final String JOBS = "/services/data/v([0-9]+\\.[0-9]+)/jobs/query";
  private static final String JOB = JOBS + "/(\\w+)";
  private static final String LAST_PAGE = "null";
  // "Returns up to five URIs in one response" (Get Parallel Results for a Query Job).
  private static final int PARALLEL_PAGES = 5;

  private final TokenStore tokens;
  private final ContactTable contacts;
  private final QueryJobStore jobs;
  private final SalesforceKnobs knobs;
  private final Counters<Event> counters;
  private final Clock clock;

  BulkQueryEndpoints(
      TokenStore tokens,
      ContactTable contacts,
      QueryJobStore jobs,
      SalesforceKnobs knobs,
      Counters<Event> counters,
      Clock clock) {
    this.tokens = tokens;
    this.contacts = contacts;
    this.jobs = jobs;
    this.knobs = knobs;
    this.counters = counters;
    this.clock = clock;
  }

  void register(Router router) {
    router
        .route("POST", JOBS, "create", this::create)
        .route("GET", JOB, "status", this::status)
        .route("GET", JOB + "/results", "results", this::results)
        .route("GET", JOB + "/resultPages", "resultPages", this::resultPages)
        .route("PATCH", JOB, this::abort)
        .route("DELETE", JOB, this::delete);
  }

  private Response create(Request request) {
    authenticate(request);
    JsonNode body =
        Json.readObject(
            request.body(),
            message -> SalesforceErrors.response(400, "JSON_PARSER_ERROR", message));
    String operation = body.path("operation").asText();
    if (!operation.equals("query") && !operation.equals("queryAll")) {
      throw SalesforceErrors.invalidJob(
          "operation must be query or queryAll, got '" + operation + "'");
    }
    requireDefault(body, "contentType", "CSV");
    requireDefault(body, "columnDelimiter", "COMMA");
    requireDefault(body, "lineEnding", "LF");
    SoqlQuery query = SoqlQuery.parse(body.path("query").asText(), contacts.fields());
    int size = contacts.size();
    int firstRow =
        query
            .filter()
            .map(
                f ->
                    (int)
                        Math.min(
                            size, ContactData.firstIndexAfter(f.field(), f.value(), f.inclusive())))
            .orElse(0);
    // Rows at or before an upper bound: those before the first row after it.
    int endRow =
        query
            .upper()
            .map(
                f ->
                    (int)
                        Math.min(
                            size,
                            ContactData.firstIndexAfter(f.field(), f.value(), !f.inclusive())))
            .orElse(size);
    QueryJob job =
        new QueryJob(
            jobs.nextId(),
            operation,
            query,
            firstRow,
            Math.max(0, endRow - firstRow),
            Double.parseDouble(request.pathParam(1)),
            clock.instant());
    job.readyOffset(knobs.drawReadyOffset());
    jobs.add(job);
    counters.increment(Event.JOB_CREATED);
    return Response.json(200, job.info());
  }

  private Response status(Request request) {
    authenticate(request);
    QueryJob job = jobs.get(request.pathParam(2));
    job.poll(knobs.readiness(), clock.instant());
    counters.increment(Event.STATUS_POLL);
    return Response.json(200, job.detailedInfo());
  }

  private Response results(Request request) {
    authenticate(request);
    QueryJob job = completeJob(request);
    int offset = request.queryParam("locator").map(l -> decodeLocator(l, job)).orElse(0);
    int maxRecords =
        request.intParam(
            "maxRecords",
            knobs.defaultMaxRecords(),
            message -> SalesforceErrors.response(400, SalesforceErrors.INVALID_JOB, message));
    if (maxRecords < 1) {
      throw SalesforceErrors.invalidJob("maxRecords must be positive: " + maxRecords);
    }
    job.resultsServed(clock.instant());
    Pause.sleep(knobs.pageDelay());
    int count = Math.min(maxRecords, job.rowCount() - offset);
    int from = job.firstRow() + offset;
    boolean last = offset + count >= job.rowCount();
    counters.increment(Event.RESULTS_PAGE);
    // Generated into the connection as it is sent: a 50,000-row page is ~9 MB of CSV.
    return Response.streamed(
            200,
            "text/csv;charset=UTF-8",
            out -> contacts.writeCsv(job.columns(), from, from + count, out))
        .withHeader("Sforce-Locator", nextLocator(request, last, offset + count))
        .withHeader("Sforce-NumberOfRecords", Integer.toString(count));
  }

  /**
   * Get Parallel Results (API v58.0 and later): up to {@value #PARALLEL_PAGES} {@code resultUrl}s
   * of {@code defaultMaxRecords} rows each, which a client may download at once, then {@code
   * nextRecordsUrl} for the next set ({@code null} and {@code done: true} after the last). The
   * documentation's table spells the field {@code nextRecordUrl}, its example {@code
   * nextRecordsUrl}; the sandbox answers as the example does. Each {@code resultUrl} names its
   * {@code maxRecords} too, so it stays valid when the knob changes; a client treats it as opaque.
   */
  private Response resultPages(Request request) {
    authenticate(request);
    String version = request.pathParam(1);
    if (Double.parseDouble(version) < 58.0) {
      throw SalesforceErrors.failure(404, "NOT_FOUND", "The requested resource does not exist");
    }
    QueryJob job = completeJob(request);
    if (job.apiVersion() != Double.parseDouble(version)) {
      // Documented: results must be asked with the job's own API version, or 409.
      throw SalesforceErrors.failure(
          409,
          SalesforceErrors.INVALID_JOB,
          "Job " + job.id() + " was created with API version " + job.apiVersion());
    }
    int from = request.queryParam("locator").map(l -> decodeLocator(l, job)).orElse(0);
    int pageSize = knobs.defaultMaxRecords();
    String jobPath = "/services/data/v" + version + "/jobs/query/" + job.id();
    ArrayNode pages = Json.MAPPER.createArrayNode();
    int offset = from;
    do {
      pages
          .addObject()
          .put(
              "resultUrl",
              jobPath + "/results?locator=" + encodeLocator(offset) + "&maxRecords=" + pageSize);
      offset += pageSize;
    } while (offset < job.rowCount() && pages.size() < PARALLEL_PAGES);
    boolean done = offset >= job.rowCount();
    ObjectNode body = Json.object();
    body.set("resultPages", pages);
    body.put(
        "nextRecordsUrl", done ? null : jobPath + "/resultPages?locator=" + encodeLocator(offset));
    body.put("done", done);
    return Response.json(200, body);
  }

  /** The job named by the path, once complete; 412 as documented while it is not. */
  private QueryJob completeJob(Request request) {
    QueryJob job = jobs.get(request.pathParam(2));
    job.advance(knobs.readiness(), clock.instant());
    if (job.state() != QueryJob.State.JobComplete) {
      // The documented answer for results of an unfinished job.
      throw SalesforceErrors.failure(
          412,
          "JOB_NOT_COMPLETE",
          "can only download query results of"
              + " successfully completed bulk job with status: JOB_COMPLETE. Current status: "
              + job.state());
    }
    return job;
  }

  private Response abort(Request request) {
    authenticate(request);
    QueryJob job = jobs.get(request.pathParam(2));
    JsonNode body =
        Json.readObject(
            request.body(),
            message -> SalesforceErrors.response(400, "JSON_PARSER_ERROR", message));
    if (!body.path("state").asText().equals("Aborted")) {
      throw SalesforceErrors.invalidJob("a query job can only be updated to state Aborted");
    }
    if (!job.abort(clock.instant())) {
      throw SalesforceErrors.invalidJob(
          "Cannot abort job "
              + job.id()
              + " in state "
              + job.state()
              + "; only UploadComplete and InProgress jobs can be aborted");
    }
    counters.increment(Event.ABORT);
    return Response.json(200, job.info());
  }

  private Response delete(Request request) {
    authenticate(request);
    QueryJob job = jobs.get(request.pathParam(2));
    if (!job.isDeletable()) {
      throw SalesforceErrors.invalidJob(
          "Cannot delete job " + job.id() + " while it is InProgress");
    }
    jobs.remove(job.id());
    counters.increment(Event.DELETE);
    return Response.noContent();
  }

  private void authenticate(Request request) {
    String authorization = request.header("Authorization");
    String token =
        authorization != null && authorization.startsWith("Bearer ")
            ? authorization.substring("Bearer ".length()).trim()
            : null;
    if (!tokens.isValid(token)) {
      counters.increment(Event.UNAUTHORIZED);
      throw SalesforceErrors.failure(401, "INVALID_SESSION_ID", "Session expired or invalid");
    }
  }

  private static void requireDefault(JsonNode body, String field, String supported) {
    if (body.has(field) && !body.get(field).asText().equals(supported)) {
      throw SalesforceErrors.invalidJob("the sandbox supports only " + field + " " + supported);
    }
  }

  /** The next page's locator; with {@code repeatLocator} on, the one this page was asked with. */
  private String nextLocator(Request request, boolean last, int nextOffset) {
    if (knobs.repeatLocator() && request.queryParam("locator").isPresent()) {
      return request.queryParam("locator").get();
    }
    return last ? LAST_PAGE : encodeLocator(nextOffset);
  }

  /** Locators are the Base64 of the row offset, as Salesforce's own (e.g. {@code MTAwMDA}). */
  private static String encodeLocator(int offset) {
    return Base64.getEncoder()
        .withoutPadding()
        .encodeToString(Integer.toString(offset).getBytes(StandardCharsets.US_ASCII));
  }

  private static int decodeLocator(String locator, QueryJob job) {
    try {
      int offset =
          Integer.parseInt(
              new String(Base64.getDecoder().decode(locator), StandardCharsets.US_ASCII));
      if (offset >= 0 && offset <= job.rowCount()) {
        return offset;
      }
    } catch (IllegalArgumentException e) {
      // Not Base64, or not a number: reported below like any other unknown locator.
    }
    throw SalesforceErrors.invalidJob("Invalid locator '" + locator + "' for job " + job.id());
  }
}
