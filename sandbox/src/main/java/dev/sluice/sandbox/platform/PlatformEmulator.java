package dev.sluice.sandbox.platform;

import com.sun.net.httpserver.HttpHandler;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Adobe Experience Platform as the ETL guide documents it: IMS ({@code /ims/token/v3}, {@code
 * /ims/exchange/jwt}), Catalog, Data Access and Data Ingestion under {@code /data/foundation/},
 * with real Parquet validation of uploads, plus knobs and stats (here and under {@code
 * /sandbox/platform/}). Every method is thread-safe and takes effect on the next request.
 *
 * <pre>{@code
 * PlatformEmulator platform = sandbox.platform();
 * platform.failUploads(2, 503);          // the next two uploads answer 503
 * platform.pollsBeforeFinal(3);          // batches show their outcome on the third status poll
 * }</pre>
 */
public final class PlatformEmulator {

  /** Path prefixes to register {@link #handler()} under. */
  public static final List<String> PATH_PREFIXES =
      List.of("/data/foundation/", "/ims/", "/sandbox/platform/");

  /**
   * The seeded profile dataset: registry schema {@code context/person} and the deprecated {@code
   * fields}.
   */
  public static final String SEEDED_PROFILES = DefaultSeeds.PROFILES;

  /**
   * The seeded event dataset: registry schema {@code context/experienceevent}, successful batches
   * hourly.
   */
  public static final String SEEDED_EVENTS = DefaultSeeds.EVENTS;

  /** The seeded legacy dataset: only the deprecated {@code fields}. */
  public static final String SEEDED_LEGACY = DefaultSeeds.LEGACY;

  /** A dataset of Salesforce-like contacts, with no batches: the demo's egress target. */
  public static final String SEEDED_CONTACTS = DefaultSeeds.CONTACTS;

  /**
   * Created time of the first seeded event batch (2024-03-01T00:00:00Z); the others follow hourly.
   */
  public static final long SEEDED_EVENTS_FIRST_BATCH_MILLIS =
      DefaultSeeds.EVENTS_FIRST_BATCH_MILLIS;

  /** How many event batches are seeded. */
  public static final int SEEDED_EVENT_BATCHES = DefaultSeeds.EVENT_BATCHES;

  private final PlatformCredentials credentials;
  private final Clock clock;
  private final Tokens tokens;
  private final JwtCheck jwt;
  private final Processing processing = new Processing();
  private final Faults faults = new Faults();
  private final PlatformCounters counters = new PlatformCounters();
  private final BatchStore store;
  private final PlatformRoutes routes;

  /**
   * @param baseUrl the sandbox's {@code http://127.0.0.1:<port>}, for the links in responses
   */
  public PlatformEmulator(String baseUrl, PlatformCredentials credentials) {
    this(baseUrl, credentials, Clock.systemUTC());
  }

  PlatformEmulator(String baseUrl, PlatformCredentials credentials, Clock clock) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.clock = clock;
    this.tokens = new Tokens(clock);
    this.jwt = new JwtCheck(clock);
    this.store = new BatchStore(clock, processing);
    this.routes = new PlatformRoutes(new Gateway(this::credentials, tokens, counters), faults);
    new ImsEndpoints(this::credentials, tokens, jwt, counters).register(routes);
    new CatalogEndpoints(store, this::credentials, counters).register(routes);
    new DataAccessEndpoints(store, baseUrl).register(routes);
    new IngestEndpoints(store, processing, this::credentials, counters, clock).register(routes);
    new PlatformControlEndpoints(this).register(routes);
    seedDefaults();
  }

  /** The handler serving every path under {@link #PATH_PREFIXES}. */
  public HttpHandler handler() {
    return routes;
  }

  /** The client, organisation and sandbox the emulation accepts. */
  public PlatformCredentials credentials() {
    return credentials;
  }

  /**
   * Adds a dataset.
   *
   * @throws IllegalArgumentException if its ID exists
   */
  public void seedDataset(DatasetSeed dataset) {
    store.addDataset(dataset);
  }

  /**
   * Adds a successful batch with deterministic Parquet files to a seeded dataset.
   *
   * @throws IllegalArgumentException if the dataset is unknown or the batch ID exists
   */
  public void seedBatch(BatchSeed seed) {
    DatasetSeed dataset =
        store
            .dataset(seed.datasetId())
            .orElseThrow(() -> new IllegalArgumentException("no dataset " + seed.datasetId()));
    Batch batch = new Batch(seed.id(), seed.datasetId(), seed.createdMillis(), List.of());
    Map<String, byte[]> files = new java.util.TreeMap<>();
    for (int i = 0; i < seed.files(); i++) {
      files.put(
          String.format("part-%05d.parquet", i),
          SeedParquet.file(dataset, seed.id(), i, seed.rowsPerFile()));
    }
    batch.seed(files, (long) seed.files() * seed.rowsPerFile());
    store.seed(batch);
  }

  /**
   * Adds a batch with chosen content and status to a seeded dataset (see {@link ContentBatchSeed}).
   * Parquet rows are written after the dataset's fields: text for strings, numbers for
   * int/long/double, booleans, epoch millis or ISO-8601 text for date-times; a missing or null
   * value is left null. Files labelled alike become the parts of one dataset file, listed under one
   * {@code dataSetFileId}.
   *
   * @throws IllegalArgumentException if the dataset is unknown, the batch ID exists, or a row names
   *     a field the dataset does not have or holds a value that does not fit it
   */
  public void seedContentBatch(ContentBatchSeed seed) {
    DatasetSeed dataset =
        store
            .dataset(seed.datasetId())
            .orElseThrow(() -> new IllegalArgumentException("no dataset " + seed.datasetId()));
    Batch batch = new Batch(seed.id(), seed.datasetId(), seed.createdMillis(), List.of());
    Map<String, String> fileIds = new java.util.HashMap<>();
    List<Batch.Published> files = new java.util.ArrayList<>();
    long records = 0;
    for (ContentBatchSeed.FileSeed file : seed.files()) {
      String label =
          file.dataSetFile() == null ? "file:" + file.name() : "label:" + file.dataSetFile();
      String fileId = fileIds.computeIfAbsent(label, l -> seed.id() + "-" + (fileIds.size() + 1));
      byte[] bytes;
      if (file.rows() != null) {
        bytes = SeedParquet.rows(dataset, file.rows());
        records += file.rows().size();
      } else if (file.text() != null) {
        bytes = file.text().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      } else {
        bytes = java.util.Base64.getDecoder().decode(file.base64());
      }
      files.add(new Batch.Published(fileId, file.name(), bytes, seed.createdMillis()));
    }
    batch.seedContent(files, seed.status(), seed.errors(), records);
    store.seed(batch);
  }

  /**
   * Moves a batch seeded pending ({@link ContentBatchSeed#status()} not final) to {@code status},
   * with {@code errors}: {@code success} makes its files readable; another final status ends it; a
   * pending one keeps it held.
   *
   * @throws IllegalArgumentException if the batch is unknown or not held pending
   */
  public void settleBatch(String batchId, String status, List<BatchError> errors) {
    Batch batch =
        store.find(batchId).orElseThrow(() -> new IllegalArgumentException("no batch " + batchId));
    batch.settle(
        Objects.requireNonNull(status, "status"),
        errors == null ? List.of() : errors,
        clock.millis());
  }

  /**
   * The value a seeded batch's generated row holds in {@code field}: strings are {@code
   * <field>-<batch>-<file>-<row>}, date-times epoch millis from 2024-03-01 a minute apart.
   */
  public static Object seededValue(
      DatasetSeed.Field field, String batchId, int fileIndex, int row) {
    return SeedParquet.value(field, batchId, fileIndex, row);
  }

  /**
   * Completed batches show their outcome on the {@code polls}-th {@code GET /catalog/batches/{id}}
   * (default {@value Processing#DEFAULT_POLLS}; 0 shows it at once); earlier polls see {@code
   * processing}.
   *
   * @throws IllegalArgumentException if negative
   */
  public void pollsBeforeFinal(int polls) {
    processing.pollsBeforeFinal(polls);
  }

  /**
   * Completed batches also stay {@code processing} until {@code time} has passed since COMPLETE
   * (default zero: polls alone decide).
   *
   * @throws IllegalArgumentException if negative
   */
  public void processingTime(Duration time) {
    processing.minimumTime(Objects.requireNonNull(time, "time"));
  }

  /**
   * The next {@code count} uploads ({@code PUT} of a file, and the large-file requests) answer
   * {@code status} with a {@code Retry-After} and are not stored.
   *
   * @throws IllegalArgumentException if {@code count < 1} or {@code status} is not a 5xx
   */
  public void failUploads(int count, int status) {
    faults.failNext("upload", count, status);
  }

  /**
   * The next {@code count} requests of {@code endpointKind} answer {@code status} (a 5xx, or 429)
   * with {@code Retry-After: 1}, unserved.
   *
   * @param endpointKind token, create, upload, complete, status, list (Catalog listings, a batch's
   *     dataset files) or download (a dataset file's parts and their content)
   * @throws IllegalArgumentException for an unknown kind, {@code count < 1} or a status other than
   *     429 or a 5xx
   */
  public void failRequests(String endpointKind, int count, int status) {
    faults.failNext(endpointKind, count, status);
  }

  /**
   * The next {@code count} requests of {@code endpointKind} are served (an upload is stored, a
   * batch completed) but the connection closes before the whole response is sent.
   *
   * @param endpointKind token, create, upload, complete, status, list or download
   * @throws IllegalArgumentException for an unknown kind or {@code count < 1}
   */
  public void dropConnections(String endpointKind, int count) {
    faults.dropNext(endpointKind, count);
  }

  /**
   * The next {@code count} requests of {@code endpointKind} are served (a batch created, an upload
   * stored) but the connection closes before a byte of the answer is sent: the client cannot tell
   * whether the platform acted.
   *
   * @param endpointKind token, create, upload, complete, status, list or download
   * @throws IllegalArgumentException for an unknown kind or {@code count < 1}
   */
  public void loseAnswers(String endpointKind, int count) {
    faults.loseNext(endpointKind, count);
  }

  /**
   * Batches completed from now on whose files are valid end with {@code status} ({@code failure} or
   * {@code failed}) and this one error.
   *
   * @throws IllegalArgumentException for another status
   */
  public void failAfterComplete(String status, String code, String description) {
    processing.forcedFailure(
        new Processing.ForcedFailure(status, new BatchError(code, description, List.of())));
  }

  /** Completed batches are judged by their files alone again. */
  public void clearFailAfterComplete() {
    processing.forcedFailure(null);
  }

  /** Every token issued so far is refused with 401 from now on. */
  public void revokeTokens() {
    tokens.revokeAll();
  }

  /**
   * The lifetime of tokens, issued ones included ({@link Duration#ZERO} expires all); default 86399
   * s.
   */
  public void tokenTtl(Duration ttl) {
    tokens.ttl(Objects.requireNonNull(ttl, "ttl"));
  }

  /**
   * JWT exchanges from now on must carry an RS256 signature by this key's private half; null stops
   * checking.
   */
  public void jwtPublicKey(PublicKey key) {
    jwt.publicKey(key);
  }

  /**
   * Back to the state at start-up: default seeds only, default processing, no faults, no tokens,
   * zeroed stats. Batch IDs handed out before are not reused.
   */
  public void reset() {
    processing.reset();
    faults.clear();
    tokens.revokeAll();
    tokens.ttl(Tokens.DEFAULT_TTL);
    jwt.publicKey(null);
    counters.reset();
    store.clear();
    seedDefaults();
  }

  /** A snapshot of the counters and of every batch. */
  public PlatformStats stats() {
    List<PlatformStats.BatchSummary> batches =
        store.all().stream().map(PlatformEmulator::summary).toList();
    return new PlatformStats(
        store.createdByApi(),
        counters.get(PlatformCounters.Event.UPLOAD),
        counters.get(PlatformCounters.Event.COMPLETE),
        counters.get(PlatformCounters.Event.ABORT),
        counters.get(PlatformCounters.Event.STATUS_POLL),
        counters.get(PlatformCounters.Event.TOKEN_GRANT),
        counters.get(PlatformCounters.Event.UNAUTHORIZED),
        batches);
  }

  private static PlatformStats.BatchSummary summary(Batch batch) {
    List<PlatformStats.FileSummary> files =
        batch.staged().entrySet().stream()
            .map(
                e ->
                    new PlatformStats.FileSummary(
                        e.getKey(), e.getValue().bytes().length, e.getValue().uploads()))
            .toList();
    return new PlatformStats.BatchSummary(
        batch.id,
        batch.datasetId,
        batch.status(),
        batch.created,
        batch.updated(),
        files,
        batch.errors().stream().map(BatchError::description).toList(),
        batch.predecessors,
        batch.replacedBy());
  }

  private void seedDefaults() {
    DefaultSeeds.datasets().forEach(this::seedDataset);
    DefaultSeeds.batches().forEach(this::seedBatch);
  }
}
