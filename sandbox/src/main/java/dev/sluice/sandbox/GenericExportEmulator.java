package dev.sluice.sandbox;

import java.util.Objects;
import java.util.Set;

/**
 * A generic asynchronous export API (create, poll, download) in the style of the REST sources
 * linkedin/data-integration-library ingests, with five pagination styles and three formats over the
 * {@link GenericData} {@code events} dataset. Every method is thread-safe and takes effect on the
 * next request.
 */
public final class GenericExportEmulator {

  /** Endpoint kinds for {@link #throttle}, {@link #dropConnections} and {@link #loseAnswers}. */
  public static final Set<String> FAULT_KINDS =
      Set.of("export-create", "export-status", "export-data", "export-delete");

  /** What {@link GenericStats} counts. */
  enum Event {
    STATUS_POLL,
    DATA_PAGE,
    UNAUTHORIZED
  }

  private final SandboxConfig config;
  private final String baseUrl;
  private final ExportStore exports = new ExportStore();
  private final GenericKnobs knobs;
  private final Counters<Event> counters = new Counters<>(Event.class);
  private final FaultPlan faults = new FaultPlan(FAULT_KINDS);
  private final Traffic traffic = new Traffic();
  private final Surveys surveys = new Surveys();

  GenericExportEmulator(SandboxConfig config, String baseUrl) {
    this.config = config;
    this.baseUrl = baseUrl;
    this.knobs = new GenericKnobs(config);
  }

  /**
   * Exports become ready on the {@code polls}-th status request (default {@link
   * SandboxConfig#pollsBeforeReady()}); earlier polls see {@code running}.
   *
   * @throws IllegalArgumentException if {@code polls} is negative
   */
  public void pollsBeforeReady(int polls) {
    knobs.pollsBeforeReady(polls);
  }

  /** Exports that finish from now on end {@code failed} with {@code message}. */
  public void fail(String message) {
    knobs.failMessage(Objects.requireNonNull(message, "message"));
  }

  /** Exports that finish from now on become ready again. */
  public void clearFail() {
    knobs.failMessage(null);
  }

  /**
   * While on, data pages are corrupt: JSON and NDJSON lose their last closing brace or bracket, CSV
   * ends in an unterminated quote.
   */
  public void malformed(boolean corrupt) {
    knobs.malformed(corrupt);
  }

  /**
   * From the {@code fromPage}-th data page served from now on (1: the next), every data page is
   * answered with 200 and a bad body: {@code html}, an HTML error page ({@code text/html}), {@code
   * empty}, no body at all, or a CSV page whose second record is broken: {@code invalid-utf8}
   * (bytes that are not UTF-8), {@code short-record} (fewer fields than the header) or {@code
   * oversized-field} (a 256 KiB value). A null {@code kind} clears it.
   *
   * @throws IllegalArgumentException for another kind, or {@code fromPage < 1}
   */
  public void badPages(String kind, int fromPage) {
    knobs.badPages(kind == null ? null : GenericKnobs.BadPage.named(kind), fromPage);
  }

  /**
   * The next {@code count} requests of {@code endpointKind} get {@code status} with a {@code
   * Retry-After} header and {@code {"error":…}}, unserved.
   *
   * @param endpointKind one of {@link #FAULT_KINDS}
   * @throws IllegalArgumentException for an unknown kind, {@code count < 1}, a non-error status or
   *     a negative delay
   */
  public void throttle(String endpointKind, int count, int status, int retryAfterSeconds) {
    faults.throttle(endpointKind, count, status, retryAfterSeconds);
  }

  /**
   * The next {@code count} requests of {@code endpointKind} are served, but the connection closes
   * after half the body.
   *
   * @param endpointKind one of {@link #FAULT_KINDS}
   * @throws IllegalArgumentException for an unknown kind or {@code count < 1}
   */
  public void dropConnections(String endpointKind, int count) {
    faults.drop(endpointKind, count);
  }

  /**
   * The next {@code count} requests of {@code endpointKind} are served (an export is created), but
   * the connection closes before a byte of the answer is sent: the client cannot tell whether the
   * export exists.
   *
   * @param endpointKind one of {@link #FAULT_KINDS}
   * @throws IllegalArgumentException for an unknown kind or {@code count < 1}
   */
  public void loseAnswers(String endpointKind, int count) {
    faults.loseAnswers(endpointKind, count);
  }

  /**
   * From now on, every {@code every}-th request of {@code endpointKind} gets {@code status} with a
   * {@code Retry-After} header, unserved.
   *
   * @param endpointKind one of {@link #FAULT_KINDS}
   * @throws IllegalArgumentException for an unknown kind, {@code every < 1}, a non-error status or
   *     a negative delay
   */
  public void throttleEvery(String endpointKind, int every, int status, int retryAfterSeconds) {
    faults.throttleEvery(endpointKind, every, status, retryAfterSeconds);
  }

  /**
   * From now on, every {@code every}-th request of {@code endpointKind} is served but cut off
   * halfway through its body; {@code every} 1 makes every body shorter than its {@code
   * Content-Length}.
   *
   * @param endpointKind one of {@link #FAULT_KINDS}
   * @throws IllegalArgumentException for an unknown kind or {@code every < 1}
   */
  public void dropEvery(String endpointKind, int every) {
    faults.dropEvery(endpointKind, every);
  }

  /**
   * The next {@code count} requests of {@code endpointKind} have their body sent at {@code
   * bytesPerSecond}.
   *
   * @param endpointKind one of {@link #FAULT_KINDS}
   * @throws IllegalArgumentException for an unknown kind, {@code count < 1} or a rate below 1
   */
  public void trickle(String endpointKind, int count, int bytesPerSecond) {
    faults.trickle(endpointKind, count, bytesPerSecond);
  }

  /**
   * From now on, every {@code every}-th request of {@code endpointKind} has its body sent at {@code
   * bytesPerSecond} ({@code every} 1: a provider that is always that slow).
   *
   * @param endpointKind one of {@link #FAULT_KINDS}
   * @throws IllegalArgumentException for an unknown kind, {@code every < 1} or a rate below 1
   */
  public void trickleEvery(String endpointKind, int every, int bytesPerSecond) {
    faults.trickleEvery(endpointKind, every, bytesPerSecond);
  }

  /**
   * The next {@code count} requests of {@code endpointKind} are served normally; faults queued
   * afterwards hit the requests after them.
   *
   * @param endpointKind one of {@link #FAULT_KINDS}
   * @throws IllegalArgumentException for an unknown kind or {@code count < 1}
   */
  public void pass(String endpointKind, int count) {
    faults.pass(endpointKind, count);
  }

  /**
   * Page {@code page} (from 1) of next-url and cursor exports links back to page {@code page - 1}:
   * a client that follows it reads pages {@code page - 1, page, page - 1, page…} for ever. 0 (the
   * default) switches it off.
   *
   * @throws IllegalArgumentException for a page other than 0 below 2
   */
  public void loopBackAfterPage(int page) {
    knobs.loopBackAfterPage(page);
  }

  /**
   * While on, data requests ignore their page, offset or cursor (and a next-url's offset) and get
   * the first page again, with its next link or cursor.
   */
  public void ignorePageParameter(boolean ignore) {
    knobs.ignorePageParameter(ignore);
  }

  /** While on, {@code ?gzip=true} downloads are cut in half: a complete answer, a broken gzip. */
  public void truncatedGzip(boolean truncated) {
    knobs.truncatedGzip(truncated);
  }

  /** While on, data requests answer 302 with their own URL as {@code Location}. */
  public void redirectLoop(boolean loop) {
    knobs.redirectLoop(loop);
  }

  /** The surveys {@code GET /generic/surveys} lists (work units), and their scripted failures. */
  public Surveys surveys() {
    return surveys;
  }

  /** Back to the state at start-up: configured knobs, no faults, no exports, zeroed stats. */
  public void reset() {
    knobs.reset();
    surveys.reset();
    faults.clear();
    traffic.reset();
    exports.clear();
    counters.reset();
  }

  /** A snapshot of the counters and of every export's status. */
  public GenericStats stats() {
    return new GenericStats(
        counters.get(Event.STATUS_POLL),
        counters.get(Event.DATA_PAGE),
        counters.get(Event.UNAUTHORIZED),
        exports.all().stream()
            .map(e -> new GenericStats.ExportSummary(e.id(), Export.wireName(e.status())))
            .toList(),
        traffic.requests(),
        traffic.requestsInsideRetryAfter(),
        traffic.openResponses(),
        exports.inFlight(),
        exports.maxInFlight());
  }

  /** The routes of the export API and its control endpoints. */
  Router router() {
    Router router =
        new Router(
            faults,
            traffic,
            (kind, status) ->
                Response.error(status, status == 429 ? "rate limited" : "service unavailable"),
            message -> Response.error(404, message));
    new ExportEndpoints(
            config, exports, knobs, counters, new ExportPages(config.seed(), baseUrl), surveys)
        .register(router);
    new SurveyEndpoints(config, surveys).register(router);
    new GenericControlEndpoints(this).register(router);
    return router;
  }
}
