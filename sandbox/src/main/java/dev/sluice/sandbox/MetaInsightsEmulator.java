package dev.sluice.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * Meta's Marketing API asynchronous Insights (Graph API), under {@code /graph} so that {@code
 * <base>/graph} stands for {@code https://graph.facebook.com}: report runs over an ad account's
 * daily campaign metrics ({@link MetaInsightsRows}), which fail with the Insights API's
 * data-per-call error (code 100, subcode 1487534, "Please reduce the amount of data you're asking
 * for, then retry your request") when their {@code time_range} spans more than {@link #maxDays}
 * days: the provider a client must split. See {@link MetaInsightsEndpoints} for the routes. Every
 * method is thread-safe and takes effect on the next request.
 */
public final class MetaInsightsEmulator {

  /** The access token the API accepts. */
  public static final String TOKEN = "sluice-sandbox-meta-token";

  /** An ad account ID for examples; any numeric account has data. */
  public static final String AD_ACCOUNT_ID = "1234567890";

  /** Endpoint kinds for {@link #throttle}. */
  public static final Set<String> FAULT_KINDS = Set.of("createRun", "readRun", "insights");

  /** Context paths on the sandbox's listener. */
  public static final Set<String> PATH_PREFIXES = Set.of("/graph/", "/sandbox/meta/");

  private static final int DEFAULT_MAX_DAYS = 31;
  private static final int DEFAULT_CAMPAIGNS = 3;
  private static final int DEFAULT_POLLS = 3;

  /** What {@link MetaInsightsStats} counts. */
  enum Event {
    RUN_CREATED,
    STATUS_READ,
    INSIGHTS_PAGE,
    UNAUTHORIZED
  }

  private final long seed;
  private final Counters<Event> counters = new Counters<>(Event.class);
  private final FaultPlan faults = new FaultPlan(FAULT_KINDS);
  private final Traffic traffic = new Traffic();
  private final MetaInsightsEndpoints endpoints;
  private volatile int maxDays = DEFAULT_MAX_DAYS;
  private volatile int campaigns = DEFAULT_CAMPAIGNS;
  private volatile int pollsBeforeComplete = DEFAULT_POLLS;

  MetaInsightsEmulator(long seed, String baseUrl, Clock clock) {
    this.seed = seed;
    this.endpoints = new MetaInsightsEndpoints(this, counters, clock, baseUrl);
  }

  /**
   * Report runs created from now on over more than {@code days} days fail with the data-per-call
   * error (default {@value #DEFAULT_MAX_DAYS}).
   */
  public void maxDays(int days) {
    if (days < 1) {
      throw new IllegalArgumentException("maxDays must be positive: " + days);
    }
    this.maxDays = days;
  }

  /** Campaigns per ad account in runs created from now on (default {@value #DEFAULT_CAMPAIGNS}). */
  public void campaigns(int campaigns) {
    if (campaigns < 1) {
      throw new IllegalArgumentException("campaigns must be positive: " + campaigns);
    }
    this.campaigns = campaigns;
  }

  /** Runs finish on their {@code polls}-th status read (default {@value #DEFAULT_POLLS}). */
  public void pollsBeforeComplete(int polls) {
    if (polls < 1) {
      throw new IllegalArgumentException("polls must be positive: " + polls);
    }
    this.pollsBeforeComplete = polls;
  }

  /** The next {@code count} requests of {@code kind} get {@code status} with Retry-After. */
  public void throttle(String kind, int count, int status, int retryAfterSeconds) {
    faults.throttle(kind, count, status, retryAfterSeconds);
  }

  /**
   * The rows a run over {@code since}..{@code until} of account {@code accountId} returns at {@code
   * level} {@code campaign} with {@code time_increment=1}, as JSON text in order: what a test
   * compares a split run against.
   */
  public List<String> expectedDailyCampaignRows(
      String accountId, LocalDate since, LocalDate until) {
    return new MetaInsightsRows(seed, accountId, campaigns)
        .rows(since, until, true, true, Set.of()).stream().map(ObjectNode::toString).toList();
  }

  /** Back to the start-up state: default knobs, no runs, faults or counts. */
  public void reset() {
    maxDays = DEFAULT_MAX_DAYS;
    campaigns = DEFAULT_CAMPAIGNS;
    pollsBeforeComplete = DEFAULT_POLLS;
    endpoints.clear();
    faults.clear();
    traffic.reset();
    counters.reset();
  }

  /** A snapshot of the counters. */
  public MetaInsightsStats stats() {
    return new MetaInsightsStats(
        counters.get(Event.RUN_CREATED),
        endpoints.inFlight(),
        endpoints.maxInFlight(),
        counters.get(Event.STATUS_READ),
        counters.get(Event.INSIGHTS_PAGE),
        counters.get(Event.UNAUTHORIZED),
        traffic.requests());
  }

  long seed() {
    return seed;
  }

  int maxDays() {
    return maxDays;
  }

  int campaigns() {
    return campaigns;
  }

  int pollsBeforeComplete() {
    return pollsBeforeComplete;
  }

  /** The Graph API's error body: {@code {"error":{"message","type","code","fbtrace_id"}}}. */
  static Response error(int status, int code, String type, String message) {
    ObjectNode body = Json.object();
    body.putObject("error")
        .put("message", message)
        .put("type", type)
        .put("code", code)
        .put("fbtrace_id", "SandboxTrace");
    return Response.json(status, body);
  }

  /**
   * The routes of the Graph API and {@code POST /sandbox/meta/knobs}, {@code GET
   * /sandbox/meta/stats}.
   */
  Router router() {
    Router router =
        new Router(
            faults,
            traffic,
            // Meta's rate limit: code 17 "User request limit reached" (or 80004 for ads insights).
            (kind, status) ->
                error(status, 17, "OAuthException", "(#17) User request limit reached"),
            message -> error(404, 100, "GraphMethodException", message));
    endpoints.register(router);
    AsyncProviderControlEndpoints.meta(router, this);
    return router;
  }
}
