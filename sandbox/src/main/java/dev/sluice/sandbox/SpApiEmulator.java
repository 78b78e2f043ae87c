package dev.sluice.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Amazon's Selling Partner API Reports (2021-06-30) with Login with Amazon and the S3 host its
 * report documents are downloaded from:
 *
 * <ol>
 *   <li>{@code POST /auth/o2/token} ({@code grant_type=refresh_token}, {@code refresh_token},
 *       {@code client_id}, {@code client_secret}) answers {@code access_token}, {@code token_type},
 *       {@code expires_in} (3600 s); API calls carry it as {@code x-amz-access-token}.
 *   <li>{@code POST /reports/2021-06-30/reports} ({@code reportType}, {@code marketplaceIds},
 *       optional {@code dataStartTime}/{@code dataEndTime}) answers 202 {@code {"reportId"}}.
 *   <li>{@code GET /reports/2021-06-30/reports/{reportId}}: {@code processingStatus} IN_QUEUE,
 *       IN_PROGRESS, then DONE (with {@code reportDocumentId}), CANCELLED or FATAL (with a document
 *       that explains). {@code DELETE} on it cancels a report still IN_QUEUE.
 *   <li>{@code GET /reports/2021-06-30/documents/{reportDocumentId}} answers {@code
 *       reportDocumentId}, {@code url} (pre-signed, on the S3 host, valid 5 minutes) and {@code
 *       compressionAlgorithm: GZIP}. See {@link PresignedBucket} for what the S3 host refuses.
 * </ol>
 *
 * The report is a tab-separated order file of {@link #rows} lines; {@link SpApiReport#line} gives
 * each. Every method is thread-safe and takes effect on the next request.
 */
public final class SpApiEmulator {

  /** The LWA application's client ID the token endpoint accepts. */
  public static final String CLIENT_ID = "amzn1.application-oa2-client.sluicesandbox";

  /** The LWA client secret the token endpoint accepts. */
  public static final String CLIENT_SECRET = "sluice-sandbox-lwa-secret";

  /** The selling partner's refresh token the token endpoint accepts. */
  public static final String REFRESH_TOKEN = "Atzr|sluice-sandbox-refresh-token";

  /** Endpoint kinds of the API for {@link #throttle} and {@link #dropConnections}. */
  public static final Set<String> API_KINDS =
      Set.of("token", "createReport", "getReport", "getReportDocument");

  /** Endpoint kind of the S3 host (document downloads). */
  public static final String OBJECT_KIND = "object";

  /** Context paths of the API on the sandbox's main listener. */
  public static final Set<String> PATH_PREFIXES =
      Set.of("/auth/o2/", "/reports/", "/sandbox/spapi/");

  // The documented lifetime of a report document's URL.
  private static final Duration URL_TTL = Duration.ofMinutes(5);
  private static final int DEFAULT_ROWS = 1000;
  private static final int DEFAULT_POLLS = 3;

  /** What {@link SpApiStats} counts. */
  enum Event {
    REPORT_CREATED,
    STATUS_POLL,
    DOCUMENT_REQUEST,
    CANCEL,
    TOKEN_GRANT,
    UNAUTHORIZED
  }

  private final long seed;
  private final Counters<Event> counters = new Counters<>(Event.class);
  private final TokenStore tokens;
  private final PresignedBucket bucket;
  private final SpApiEndpoints endpoints;
  private final FaultPlan apiFaults = new FaultPlan(API_KINDS);
  private final FaultPlan s3Faults = new FaultPlan(Set.of(OBJECT_KIND));
  private final Traffic apiTraffic = new Traffic();
  private final Traffic s3Traffic = new Traffic();
  private volatile int rows = DEFAULT_ROWS;
  private volatile int pollsBeforeDone = DEFAULT_POLLS;
  private volatile Duration processingDelay = Duration.ZERO;
  private volatile SpApiReport.Status outcome = SpApiReport.Status.DONE;
  private volatile Duration urlTtl = URL_TTL;
  private volatile boolean gzipDocuments = true;
  private final java.util.concurrent.atomic.AtomicInteger grantsToRefuse =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * @param s3BaseUrl where the S3 listener answers ({@code http://127.0.0.1:<port>})
   */
  SpApiEmulator(long seed, String s3BaseUrl, Clock clock) {
    this.seed = seed;
    this.tokens = new TokenStore(clock, Duration.ofHours(1));
    this.bucket = new PresignedBucket(s3BaseUrl, "sluice-sandbox-spapi-reports", clock);
    this.endpoints = new SpApiEndpoints(this, tokens, bucket, counters, clock);
  }

  /** Order lines in reports that finish from now on (default {@value #DEFAULT_ROWS}). */
  public void rows(int rows) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows must not be negative: " + rows);
    }
    this.rows = rows;
  }

  /**
   * Reports finish on their {@code polls}-th {@code getReport} (default {@value #DEFAULT_POLLS}),
   * and not before {@code delay} after creation.
   */
  public void processing(int polls, Duration delay) {
    if (polls < 1 || delay.isNegative()) {
      throw new IllegalArgumentException("polls must be positive and the delay not negative");
    }
    this.pollsBeforeDone = polls;
    this.processingDelay = delay;
  }

  /**
   * How reports that finish from now on end: {@code DONE} (the default), {@code FATAL} or {@code
   * CANCELLED} (no data).
   */
  public void outcome(String processingStatus) {
    SpApiReport.Status status =
        SpApiReport.Status.valueOf(processingStatus.toUpperCase(Locale.ROOT));
    if (!status.finished()) {
      throw new IllegalArgumentException("not a final processingStatus: " + processingStatus);
    }
    this.outcome = status;
  }

  /** Lifetime of document URLs handed out from now on (default 5 minutes, at least 1 s). */
  public void urlTtl(Duration ttl) {
    this.urlTtl = Objects.requireNonNull(ttl, "ttl");
  }

  /** Every document URL handed out so far answers 403 "Request has expired" from now on. */
  public void expireIssuedUrls() {
    bucket.expireIssued();
  }

  /**
   * The next document download (from the start or a range) sends only {@code bytes} bytes before
   * its connection is cut, and the URL it came by expires at once: the expiry lands in the middle
   * of the body. See {@link PresignedBucket#expireAfterBytes}.
   */
  public void expireUrlAfterBytes(long bytes) {
    bucket.expireAfterBytes(bytes);
  }

  /**
   * Whether report documents stored from now on are GZIP ({@code compressionAlgorithm: GZIP}, the
   * default) or plain text (no {@code compressionAlgorithm}).
   */
  public void gzipDocuments(boolean gzip) {
    this.gzipDocuments = gzip;
  }

  /**
   * Every LWA access token issued so far is revoked: API calls carrying one get 403 {@code
   * Unauthorized} ("The access token you provided is revoked, malformed or invalid") until the
   * client gets a new one with its refresh token.
   */
  public void revokeAccessTokens() {
    tokens.revokeAll();
  }

  /**
   * The next {@code count} refresh-token grants are refused with 400 {@code invalid_grant}, as LWA
   * answers a revoked refresh token.
   */
  public void refuseTokenGrants(int count) {
    grantsToRefuse.set(count);
  }

  /** Body bytes of documents sent by the S3 host (ranges and cut-off downloads as sent). */
  public long documentBytesServed() {
    return bucket.bytesServed.sum();
  }

  /** Size in bytes of the report document stored last (as stored: compressed when GZIP). */
  public long lastDocumentSize() {
    return bucket.lastStoredSize.get();
  }

  /** Lifetime of LWA access tokens, those already issued too (default 1 hour). */
  public void tokenTtl(Duration ttl) {
    tokens.ttl(Objects.requireNonNull(ttl, "ttl"));
  }

  /**
   * The next {@code count} requests of {@code kind} get {@code status} with {@code Retry-After}.
   *
   * @param kind one of {@link #API_KINDS} or {@link #OBJECT_KIND}
   */
  public void throttle(String kind, int count, int status, int retryAfterSeconds) {
    faults(kind).throttle(kind, count, status, retryAfterSeconds);
  }

  /**
   * The next {@code count} requests of {@code kind} are served, but cut off halfway through the
   * body (for {@link #OBJECT_KIND}: a document download that breaks in the middle).
   */
  public void dropConnections(String kind, int count) {
    faults(kind).drop(kind, count);
  }

  /** Back to the state at start-up: default knobs, no reports, documents, tokens or faults. */
  public void reset() {
    rows = DEFAULT_ROWS;
    pollsBeforeDone = DEFAULT_POLLS;
    processingDelay = Duration.ZERO;
    outcome = SpApiReport.Status.DONE;
    urlTtl = URL_TTL;
    gzipDocuments = true;
    grantsToRefuse.set(0);
    endpoints.clear();
    bucket.clear();
    tokens.revokeAll();
    tokens.ttl(Duration.ofHours(1));
    apiFaults.clear();
    s3Faults.clear();
    apiTraffic.reset();
    s3Traffic.reset();
    counters.reset();
  }

  /** A snapshot of the counters. */
  public SpApiStats stats() {
    Map<String, Long> requests = new TreeMap<>(apiTraffic.requests());
    requests.putAll(s3Traffic.requests());
    Map<String, Integer> most = new TreeMap<>(apiTraffic.maxInFlight());
    most.putAll(s3Traffic.maxInFlight());
    return new SpApiStats(
        counters.get(Event.REPORT_CREATED),
        endpoints.inFlight(),
        counters.get(Event.STATUS_POLL),
        counters.get(Event.DOCUMENT_REQUEST),
        bucket.downloads.sum(),
        bucket.expiredRefusals.sum(),
        bucket.credentialsSeen.sum(),
        counters.get(Event.UNAUTHORIZED),
        counters.get(Event.TOKEN_GRANT),
        counters.get(Event.CANCEL),
        requests,
        most);
  }

  /**
   * The data lines (header excluded) of a report of {@code rows} lines whose {@code dataStartTime}
   * is {@code dataStart}, as served: what a test compares a table with.
   */
  public java.util.List<String> reportLines(java.time.Instant dataStart, int rows) {
    java.util.List<String> lines = new java.util.ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      lines.add(SpApiReport.line(seed, dataStart, i));
    }
    return lines;
  }

  long seed() {
    return seed;
  }

  int rows() {
    return rows;
  }

  Duration urlTtl() {
    return urlTtl;
  }

  boolean gzipDocuments() {
    return gzipDocuments;
  }

  /** Whether this grant is one of those {@link #refuseTokenGrants} refuses. */
  boolean refuseGrant() {
    return grantsToRefuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
  }

  SpApiReport.Processing processing() {
    return new SpApiReport.Processing(pollsBeforeDone, processingDelay, outcome);
  }

  /**
   * The routes of LWA, the Reports API and {@code POST /sandbox/spapi/knobs}, {@code GET
   * /sandbox/spapi/stats}.
   */
  Router router() {
    Router router =
        new Router(
            apiFaults,
            apiTraffic,
            (kind, status) ->
                status == 429
                    ? SpApiEndpoints.error(
                        429, "QuotaExceeded", "You exceeded your quota for the requested resource.")
                    : SpApiEndpoints.error(status, "InternalFailure", "Service unavailable"),
            message -> SpApiEndpoints.error(404, "NotFound", message));
    endpoints.register(router);
    AsyncProviderControlEndpoints.spApi(router, this);
    return router;
  }

  /** The routes of the S3 listener. */
  Router s3Router() {
    Router router =
        new Router(
            s3Faults,
            s3Traffic,
            (kind, status) ->
                Response.text(
                    status,
                    "application/xml",
                    PresignedBucket.xmlError("SlowDown", "Please reduce your request rate.", "")),
            message ->
                Response.text(
                    404,
                    "application/xml",
                    PresignedBucket.xmlError(
                        "NoSuchBucket", "The specified bucket does not exist", "")));
    bucket.register(router);
    return router;
  }

  private FaultPlan faults(String kind) {
    return OBJECT_KIND.equals(kind) ? s3Faults : apiFaults;
  }
}
