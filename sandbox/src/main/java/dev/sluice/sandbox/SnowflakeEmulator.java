package dev.sluice.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The Snowflake SQL API v2 ({@code /api/v2/statements}, see {@link SnowflakeEndpoints}) over a
 * generated orders table ({@link SnowflakeResults}). A statement runs for {@link #running} status
 * requests, then answers its result set metadata ({@code numRows}, {@code format: jsonv2}, {@code
 * rowType}, {@code partitionInfo} with each partition's {@code rowCount} and {@code
 * uncompressedSize}) and the first partition; {@code ?partition=i} serves the others, counted so a
 * test can prove they were fetched in parallel. Every method is thread-safe and takes effect on the
 * next request.
 */
public final class SnowflakeEmulator {

  /** The bearer token the API accepts (an OAuth or key-pair JWT token in real life). */
  public static final String TOKEN = "sluice-sandbox-snowflake-token";

  /** Endpoint kinds for {@link #throttle} and {@link #dropConnections}. */
  public static final Set<String> FAULT_KINDS = Set.of("submit", "status");

  /** Context paths on the sandbox's listener. */
  public static final Set<String> PATH_PREFIXES = Set.of("/api/v2/", "/sandbox/snowflake/");

  private static final int DEFAULT_ROWS = 1000;
  private static final int DEFAULT_PARTITIONS = 4;
  private static final int DEFAULT_POLLS = 2;

  /** What {@link SnowflakeStats} counts. */
  enum Event {
    SUBMITTED,
    RESUBMITTED,
    STATUS_POLL,
    PARTITION,
    CANCEL,
    UNAUTHORIZED
  }

  private final long seed;
  private final Counters<Event> counters = new Counters<>(Event.class);
  private final FaultPlan faults = new FaultPlan(FAULT_KINDS);
  private final Traffic traffic = new Traffic();
  private final SnowflakeEndpoints endpoints;
  private volatile int rows = DEFAULT_ROWS;
  private volatile int partitions = DEFAULT_PARTITIONS;
  private volatile int pollsBeforeDone = DEFAULT_POLLS;
  private volatile Duration runningTime = Duration.ZERO;
  private volatile Duration partitionDelay = Duration.ZERO;
  private volatile SnowflakeStatement.Failure failure;

  SnowflakeEmulator(long seed, Clock clock) {
    this.seed = seed;
    this.endpoints = new SnowflakeEndpoints(this, counters, traffic, clock);
  }

  /**
   * Statements submitted from now on return {@code rows} rows in {@code partitions} partitions
   * (defaults {@value #DEFAULT_ROWS} and {@value #DEFAULT_PARTITIONS}; at most one per row).
   */
  public void result(int rows, int partitions) {
    if (rows < 0 || partitions < 1) {
      throw new IllegalArgumentException("rows must not be negative, partitions must be positive");
    }
    this.rows = rows;
    this.partitions = partitions;
  }

  /**
   * Statements finish on their {@code polls}-th status request (default {@value #DEFAULT_POLLS})
   * and not before {@code time} after submission; until then they answer 202.
   */
  public void running(int polls, Duration time) {
    if (polls < 1 || time.isNegative()) {
      throw new IllegalArgumentException("polls must be positive and the time not negative");
    }
    this.pollsBeforeDone = polls;
    this.runningTime = time;
  }

  /** Each {@code ?partition=} request is answered only after {@code delay} (default none). */
  public void partitionDelay(Duration delay) {
    this.partitionDelay = Objects.requireNonNull(delay, "delay");
  }

  /**
   * Statements that finish from now on fail: 422 with {@code code}, {@code message} and {@code
   * sqlState} (e.g. {@code 002003}, "SQL compilation error: Object 'X' does not exist or not
   * authorized.", {@code 02000}).
   */
  public void fail(String code, String message, String sqlState) {
    this.failure = new SnowflakeStatement.Failure(code, message, sqlState);
  }

  /** Statements that finish from now on succeed again. */
  public void clearFail() {
    this.failure = null;
  }

  /** The next {@code count} requests of {@code kind} get {@code status} with Retry-After. */
  public void throttle(String kind, int count, int status, int retryAfterSeconds) {
    faults.throttle(kind, count, status, retryAfterSeconds);
  }

  /** The next {@code count} requests of {@code kind} are cut off halfway through the body. */
  public void dropConnections(String kind, int count) {
    faults.drop(kind, count);
  }

  /** Back to the start-up state: default knobs, no statements, faults or counts. */
  public void reset() {
    rows = DEFAULT_ROWS;
    partitions = DEFAULT_PARTITIONS;
    pollsBeforeDone = DEFAULT_POLLS;
    runningTime = Duration.ZERO;
    partitionDelay = Duration.ZERO;
    failure = null;
    endpoints.clear();
    faults.clear();
    traffic.reset();
    counters.reset();
  }

  /**
   * The rows a statement submitted now returns, in order, each value as the {@code jsonv2} format
   * sends it: what a test compares a landed table with.
   */
  public java.util.List<java.util.List<String>> rows() {
    SnowflakeResults results = results();
    java.util.List<java.util.List<String>> all = new java.util.ArrayList<>();
    for (int i = 0; i < results.rows(); i++) {
      all.add(SnowflakeResults.row(seed, i));
    }
    return all;
  }

  /** A snapshot of the counters. */
  public SnowflakeStats stats() {
    return new SnowflakeStats(
        counters.get(Event.SUBMITTED),
        counters.get(Event.RESUBMITTED),
        endpoints.running(),
        counters.get(Event.STATUS_POLL),
        counters.get(Event.PARTITION),
        traffic.maxInFlight().getOrDefault(SnowflakeEndpoints.PARTITION, 0),
        counters.get(Event.CANCEL),
        counters.get(Event.UNAUTHORIZED),
        traffic.requests());
  }

  SnowflakeResults results() {
    return new SnowflakeResults(seed, rows, partitions);
  }

  SnowflakeStatement.Running running() {
    return new SnowflakeStatement.Running(pollsBeforeDone, runningTime, failure);
  }

  Duration partitionDelay() {
    return partitionDelay;
  }

  /**
   * The routes of the SQL API and {@code POST /sandbox/snowflake/knobs}, {@code GET
   * /sandbox/snowflake/stats}.
   */
  Router router() {
    Router router =
        new Router(
            faults,
            traffic,
            (kind, status) ->
                SnowflakeEndpoints.error(
                    status, "390505", "Service temporarily unavailable, retry later."),
            message -> SnowflakeEndpoints.error(404, "390404", message));
    endpoints.register(router);
    AsyncProviderControlEndpoints.snowflake(router, this);
    return router;
  }
}
