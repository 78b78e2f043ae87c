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
      Set.of("export-create", "export-status", "export-data");

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
   * answered with 200 and a bad body: {@code html}, an HTML error page ({@code text/html}), or
   * {@code empty}, no body at all. A null {@code kind} clears it.
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

  /** The surveys {@code GET /generic/surveys} lists (work units), and their scripted failures. */
  public Surveys surveys() {
    return surveys;
  }

  /** Back to the state at start-up: configured knobs, no faults, no exports, zeroed stats. */
  public void reset() {
    knobs.reset();
    surveys.reset();
    faults.clear();
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
            .toList());
  }

  /** The routes of the export API and its control endpoints. */
  Router router() {
    Router router =
        new Router(
            faults,
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
