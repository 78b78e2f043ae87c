package dev.sluice.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The Salesforce side of the sandbox: OAuth client credentials and Bulk API 2.0 query jobs over the
 * Contact table of {@link ContactData}, plus the knobs that make it misbehave on purpose. Every
 * method is thread-safe and takes effect on the next request.
 */
public final class SalesforceEmulator {

  /** Endpoint kinds for {@link #throttle}, {@link #dropConnections} and {@link #loseAnswers}. */
  public static final Set<String> FAULT_KINDS =
      Set.of("create", "status", "results", "resultPages", "token");

  /** What {@link SalesforceStats} counts. */
  enum Event {
    JOB_CREATED,
    STATUS_POLL,
    RESULTS_PAGE,
    ABORT,
    DELETE,
    TOKEN_GRANT,
    UNAUTHORIZED
  }

  private final SandboxConfig config;
  private final Clock clock;
  private final String instanceUrl;
  private final TokenStore tokens;
  private final ContactTable contacts;
  private final QueryJobStore jobs = new QueryJobStore();
  private final SalesforceKnobs knobs;
  private final Counters<Event> counters = new Counters<>(Event.class);
  private final FaultPlan faults = new FaultPlan(FAULT_KINDS);
  private final Traffic traffic = new Traffic();

  SalesforceEmulator(SandboxConfig config, String instanceUrl, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.instanceUrl = instanceUrl;
    this.tokens = new TokenStore(clock, config.tokenTtl());
    this.contacts =
        new ContactTable(config.seed(), config.contactRecords(), config.contactCustomFields());
    this.knobs = new SalesforceKnobs(config);
  }

  /** The number of Contact rows a job created now would return (without a filter). */
  public int contactCount() {
    return contacts.size();
  }

  /**
   * Appends {@code count} Contact rows, newer than all existing ones. Existing jobs keep their
   * snapshot.
   *
   * @throws IllegalArgumentException if {@code count} is negative
   */
  public void addContacts(int count) {
    contacts.append(count);
  }

  /**
   * Jobs become complete on the {@code polls}-th status request (default {@link
   * SandboxConfig#pollsBeforeReady()}); earlier polls see {@code InProgress}.
   *
   * @throws IllegalArgumentException if {@code polls} is negative
   */
  public void pollsBeforeReady(int polls) {
    knobs.pollsBeforeReady(polls);
  }

  /**
   * Jobs also become complete once {@code delay} has passed since their creation, whatever the poll
   * count. {@link Duration#ZERO} (the default) means polls alone decide.
   *
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  public void readyAfter(Duration delay) {
    knobs.readyAfter(Objects.requireNonNull(delay, "delay"));
  }

  /**
   * Each job created from now on turns ready {@code readyAfter} plus its own random part of
   * {@code jitter} (uniform) after its creation, as real jobs, whose running times differ, do.
   * {@link Duration#ZERO} (the default): all alike.
   *
   * @throws IllegalArgumentException if {@code jitter} is negative
   */
  public void readyJitter(Duration jitter) {
    knobs.readyJitter(Objects.requireNonNull(jitter, "jitter"));
  }

  /** Jobs that finish from now on end {@code Failed} with {@code errorMessage}. */
  public void failJobs(String errorMessage) {
    knobs.failMessage(Objects.requireNonNull(errorMessage, "errorMessage"));
  }

  /** Jobs that finish from now on complete normally again. */
  public void clearFailJobs() {
    knobs.failMessage(null);
  }

  /**
   * The next {@code count} requests of {@code endpointKind} get {@code status} (429 or 503 are
   * typical) with a {@code Retry-After} header and a Salesforce-style error body, unserved.
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
   * after half the body (for results: the headers and half the CSV).
   *
   * @param endpointKind one of {@link #FAULT_KINDS}
   * @throws IllegalArgumentException for an unknown kind or {@code count < 1}
   */
  public void dropConnections(String endpointKind, int count) {
    faults.drop(endpointKind, count);
  }

  /**
   * The next {@code count} requests of {@code endpointKind} are served (a query job is created),
   * but the connection closes before a byte of the answer is sent: the client never learns the
   * job's ID.
   *
   * @param endpointKind one of {@link #FAULT_KINDS}
   * @throws IllegalArgumentException for an unknown kind or {@code count < 1}
   */
  public void loseAnswers(String endpointKind, int count) {
    faults.loseAnswers(endpointKind, count);
  }

  /**
   * From now on, every {@code every}-th request of {@code endpointKind} gets {@code status} with a
   * {@code Retry-After} header, unserved (e.g. a 429 on every 7th results request).
   *
   * @param endpointKind one of {@link #FAULT_KINDS}
   * @throws IllegalArgumentException for an unknown kind, {@code every < 1}, a non-error status or
   *     a negative delay
   */
  public void throttleEvery(String endpointKind, int every, int status, int retryAfterSeconds) {
    faults.throttleEvery(endpointKind, every, status, retryAfterSeconds);
  }

  /**
   * From now on, every {@code every}-th request of {@code endpointKind} is served but its
   * connection closes after half the body ({@code every} 1: every request, a {@code
   * Content-Length} the body never reaches).
   *
   * @param endpointKind one of {@link #FAULT_KINDS}
   * @throws IllegalArgumentException for an unknown kind or {@code every < 1}
   */
  public void dropEvery(String endpointKind, int every) {
    faults.dropEvery(endpointKind, every);
  }

  /**
   * The next {@code count} requests of {@code endpointKind} are served with their body sent at
   * {@code bytesPerSecond}: a provider that holds the connection while hardly sending anything.
   *
   * @param endpointKind one of {@link #FAULT_KINDS}
   * @throws IllegalArgumentException for an unknown kind, {@code count < 1} or a rate below 1
   */
  public void trickle(String endpointKind, int count, int bytesPerSecond) {
    faults.trickle(endpointKind, count, bytesPerSecond);
  }

  /**
   * The next {@code count} requests of {@code endpointKind} are served normally; faults queued
   * afterwards hit the requests after them (pass 6, then trickle 1: the 7th is slow).
   *
   * @param endpointKind one of {@link #FAULT_KINDS}
   * @throws IllegalArgumentException for an unknown kind or {@code count < 1}
   */
  public void pass(String endpointKind, int count) {
    faults.pass(endpointKind, count);
  }

  /**
   * While on, a results page fetched with a locator answers with that same locator as the next
   * one ({@code Sforce-Locator}), so a client that follows it asks for the same page for ever.
   */
  public void repeatLocator(boolean repeat) {
    knobs.repeatLocator(repeat);
  }

  /** Every token issued so far is rejected with 401 from now on. */
  public void revokeTokens() {
    tokens.revokeAll();
  }

  /** Sets the token lifetime, for tokens already issued too ({@link Duration#ZERO} expires all). */
  public void tokenTtl(Duration ttl) {
    tokens.ttl(Objects.requireNonNull(ttl, "ttl"));
  }

  /**
   * Rows per results page when a request has no {@code maxRecords}.
   *
   * @throws IllegalArgumentException if {@code maxRecords < 1}
   */
  public void defaultMaxRecords(int maxRecords) {
    knobs.defaultMaxRecords(maxRecords);
  }

  /**
   * Every results page is served only after {@code delay}: a slow provider, so a test can stop a
   * worker in the middle of a download. {@link Duration#ZERO} (the default) serves at once.
   *
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  public void pageDelay(Duration delay) {
    knobs.pageDelay(Objects.requireNonNull(delay, "delay"));
  }

  /**
   * Back to the state at start-up: configured knobs and row count, no pending faults, no jobs, no
   * tokens, zeroed stats. Job IDs are not reused.
   */
  public void reset() {
    knobs.reset();
    faults.clear();
    traffic.reset();
    contacts.resize(config.contactRecords());
    jobs.clear();
    tokens.revokeAll();
    tokens.ttl(config.tokenTtl());
    counters.reset();
  }

  /** A snapshot of the counters and of every existing job's state. */
  public SalesforceStats stats() {
    return new SalesforceStats(
        counters.get(Event.JOB_CREATED),
        counters.get(Event.STATUS_POLL),
        counters.get(Event.RESULTS_PAGE),
        counters.get(Event.ABORT),
        counters.get(Event.DELETE),
        counters.get(Event.TOKEN_GRANT),
        counters.get(Event.UNAUTHORIZED),
        jobs.all().stream()
            .map(
                job ->
                    SalesforceStats.JobSummary.of(
                        job.id(),
                        job.state().name(),
                        job.createdAt(),
                        job.readyAt(),
                        job.firstResultsAt()))
            .toList(),
        traffic.requests(),
        traffic.requestsInsideRetryAfter(),
        traffic.openResponses(),
        traffic.maxInFlight());
  }

  /** The routes of the OAuth, Bulk API and control endpoints. */
  Router router() {
    Router router =
        new Router(
            faults,
            traffic,
            SalesforceEmulator::throttled,
            message -> SalesforceErrors.response(404, "NOT_FOUND", message));
    new OAuthTokenEndpoint(config, instanceUrl, tokens, counters, clock).register(router);
    new BulkQueryEndpoints(tokens, contacts, jobs, knobs, counters, clock).register(router);
    new SalesforceControlEndpoints(this).register(router);
    return router;
  }

  private static Response throttled(String kind, int status) {
    if (kind.equals("token")) {
      return Response.json(
          status,
          Map.of(
              "error",
              "temporarily_unavailable",
              "error_description",
              "too many token requests, retry later"));
    }
    return status == 429
        ? SalesforceErrors.response(
            status, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
        : SalesforceErrors.response(
            status, "SERVER_UNAVAILABLE", "Server temporarily unavailable, retry later.");
  }
}
