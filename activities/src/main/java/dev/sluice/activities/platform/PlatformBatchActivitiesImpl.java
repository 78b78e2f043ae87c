package dev.sluice.activities.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.activities.auth.TokenCache;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.HttpMetrics;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.DataSize;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.workflows.activities.FailureTypes;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.PlatformBatchActivities;
import dev.sluice.workflows.activities.PlatformMessages.BatchCallResult;
import dev.sluice.workflows.activities.PlatformMessages.BatchRequest;
import dev.sluice.workflows.activities.PlatformMessages.BatchStatusResult;
import dev.sluice.workflows.activities.PlatformMessages.CreateBatchRequest;
import dev.sluice.workflows.activities.PlatformMessages.CreateBatchResult;
import dev.sluice.workflows.activities.PlatformMessages.PlatformError;
import dev.sluice.workflows.activities.PlatformMessages.RecordSentBatchRequest;
import dev.sluice.workflows.activities.PlatformMessages.SentBatchesRequest;
import dev.sluice.workflows.activities.PlatformMessages.SentBatchesResult;
import dev.sluice.workflows.activities.PlatformMessages.UploadRequest;
import dev.sluice.workflows.activities.PlatformMessages.UploadResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PlatformBatchActivities} over Adobe Experience Platform's Data Ingestion and Catalog APIs
 * (and the sandbox's emulation of them). One instance per worker: it shares the worker's client,
 * JSON mapper and an IMS token cache between all sinks.
 */
public final class PlatformBatchActivitiesImpl implements PlatformBatchActivities {
  private static final Logger log = LoggerFactory.getLogger(PlatformBatchActivitiesImpl.class);
  private static final MediaType JSON = MediaType.get("application/json");

  /** Answers to ABORT meaning the batch is already final (or gone): nothing left to abort. */
  private static final Set<Integer> ALREADY_FINAL = Set.of(400, 404, 409);

  /** Answers to a batch COMPLETE that may only mean an earlier, lost COMPLETE went through. */
  private static final Set<Integer> MAYBE_COMPLETED = Set.of(400, 409);

  /** The batch tag naming the egress run that created it (see {@code CreateBatchRequest.tag}). */
  static final String EGRESS_TAG = "sluiceEgress";

  /** Uploaded bytes, tagged by upload protocol ({@code simple} or {@code large}). */
  public static final String UPLOADED_BYTES = "sluice.platform.uploaded.bytes";

  /** Well inside the upload's heartbeat timeout (ActivityProfiles.PLATFORM_UPLOAD: 5 minutes). */
  static final java.time.Duration KEEP_ALIVE = java.time.Duration.ofSeconds(10);

  private final OkHttpClient client;
  private final ObjectMapper mapper;
  private final HadoopFiles files;
  private final SecretResolver secrets;
  private final MeterRegistry registry;
  private final HttpMetrics metrics;
  private final TokenCache tokens;
  private final Clock clock;

  /**
   * @param client the worker's HTTP client
   * @param mapper the worker's JSON mapper
   * @param files reads the staged Parquet files by URI
   * @param secrets resolves the connection's secret references
   * @param registry where platform responses, status checks and uploaded bytes are counted
   */
  public PlatformBatchActivitiesImpl(
      OkHttpClient client,
      ObjectMapper mapper,
      HadoopFiles files,
      SecretResolver secrets,
      MeterRegistry registry) {
    this(client, mapper, files, secrets, registry, Clock.systemUTC());
  }

  PlatformBatchActivitiesImpl(
      OkHttpClient client,
      ObjectMapper mapper,
      HadoopFiles files,
      SecretResolver secrets,
      MeterRegistry registry,
      Clock clock) {
    this.client = client;
    this.mapper = mapper;
    this.files = files;
    this.secrets = secrets;
    this.registry = registry;
    this.metrics = new HttpMetrics(registry);
    this.tokens = new TokenCache(clock);
    this.clock = clock;
  }

  @Override
  public CreateBatchResult createBatch(CreateBatchRequest request) {
    PlatformBatchSink sink = request.sink();
    PlatformSession session = session(sink);
    if (request.tag() != null && Activity.getExecutionContext().getInfo().getAttempt() > 1) {
      // An earlier attempt may have created the batch and lost the answer (a worker died, a
      // connection dropped): find it by its tag rather than leave it open beside a second one.
      String earlier = batchTagged(session, sink, request.tag());
      if (earlier != null) {
        log.info("reusing batch {} created by an earlier attempt", earlier);
        return new CreateBatchResult(earlier);
      }
    }
    ObjectNode body = mapper.createObjectNode();
    body.put("datasetId", requireDataset(sink));
    body.putObject("inputFormat").put("format", "parquet");
    if (request.tag() != null) {
      body.putObject("tags").putArray(EGRESS_TAG).add(request.tag());
    }
    if (request.replaces() != null && !request.replaces().isEmpty()) {
      ObjectNode replay = body.putObject("replay");
      request.replaces().forEach(replay.putArray("predecessors")::add);
      replay.put("reason", "replace");
    }
    Request call =
        new Request.Builder()
            .url(session.connection.url("import", "batches").build())
            .header("Accept", "application/json")
            .post(RequestBody.create(body.toString(), JSON))
            .build();
    JsonNode answer;
    try (Response response = session.execute(call, status -> false)) {
      answer = session.json(call, response);
    }
    String batchId = PlatformSession.entityId(answer);
    if (batchId == null || batchId.isBlank()) {
      // Retrying would create a second batch: this needs a person, not a retry.
      throw ApplicationFailure.newNonRetryableFailure(
          "POST " + call.url().encodedPath() + " answered without a batch id: " + snippet(answer),
          FailureTypes.REQUEST_ID_NOT_FOUND);
    }
    log.info("created batch {} for dataset {}", batchId, sink.datasetId());
    return new CreateBatchResult(batchId);
  }

  /**
   * The loading batch of the sink's dataset tagged {@code tag}, or null. Looks through the newest
   * loading batches (Catalog's {@code status} filter and {@code desc:created} order): a batch
   * created by an attempt of this run is minutes old at most, so one page suffices.
   */
  private String batchTagged(PlatformSession session, PlatformBatchSink sink, String tag) {
    JsonNode page =
        session.getJson(
            session
                .connection
                .url("catalog", "batches")
                .addQueryParameter("dataSet", requireDataset(sink))
                .addQueryParameter("status", "loading")
                .addQueryParameter("sort", "desc:created")
                .addQueryParameter("limit", "100")
                .build());
    for (Iterator<Map.Entry<String, JsonNode>> it = page.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> batch = it.next();
      for (JsonNode value : batch.getValue().path("tags").path(EGRESS_TAG)) {
        if (tag.equals(value.asText())) {
          return batch.getKey();
        }
      }
    }
    return null;
  }

  @Override
  public UploadResult uploadFile(UploadRequest request) {
    PlatformBatchSink sink = request.sink();
    PlatformSession session = session(sink);
    String name = request.name();
    if (name == null || name.isBlank() || name.contains("/")) {
      throw ApplicationFailure.newNonRetryableFailure(
          "invalid file name in batch: '" + name + "'", FailureTypes.INVALID_PIPELINE);
    }
    long threshold = size("largeFileThreshold", sink.largeFileThreshold());
    long chunkSize = size("chunkSize", sink.chunkSize());
    FileSystem fs = files.fs(request.fileUri());
    Path path = new Path(request.fileUri());
    long length = length(fs, path, request.fileUri());
    HttpUrl fileUrl =
        session
            .connection
            .url(
                "import",
                "batches",
                request.batchId(),
                "datasets",
                requireDataset(sink),
                "files",
                name)
            .build();
    if (length <= threshold) {
      // A single PUT restarts from byte 0 on retry; its heartbeats only say the worker is alive.
      ThrottledHeartbeat alive = new ThrottledHeartbeat(Activity.getExecutionContext(), KEEP_ALIVE);
      Request put =
          new Request.Builder()
              .url(fileUrl)
              .header("Accept", "application/json")
              .put(new FileRangeBody(fs, path, 0, length, written -> alive.keepAlive(0L)))
              .build();
      session.execute(put, status -> false).close();
      uploaded("simple", length);
      return new UploadResult(name, length, false);
    }
    new LargeUpload(session, fileUrl, fs, path, length, chunkSize).run();
    return new UploadResult(name, length, true);
  }

  /** The large-file protocol, resuming from the byte offset the last attempt heartbeated. */
  private final class LargeUpload {
    private final PlatformSession session;
    private final HttpUrl fileUrl;
    private final FileSystem fs;
    private final Path path;
    private final long length;
    private final long chunkSize;
    private final ActivityExecutionContext context = Activity.getExecutionContext();
    private final ThrottledHeartbeat heartbeat = new ThrottledHeartbeat(context, KEEP_ALIVE);

    LargeUpload(
        PlatformSession session,
        HttpUrl fileUrl,
        FileSystem fs,
        Path path,
        long length,
        long chunkSize) {
      this.session = session;
      this.fileUrl = fileUrl;
      this.fs = fs;
      this.path = path;
      this.length = length;
      this.chunkSize = chunkSize;
    }

    void run() {
      Optional<Long> resumed = context.getHeartbeatDetails(Long.class);
      long offset = resumed.filter(o -> o > 0 && o <= length).orElse(0L);
      if (offset == 0) {
        post("INITIALIZE");
      } else {
        // The earlier attempt initialised the file and the platform holds its chunks below offset.
        log.info("resuming upload of {} at byte {} of {}", path.getName(), offset, length);
      }
      while (offset < length) {
        long start = offset;
        long end = Math.min(length, start + chunkSize);
        Request patch =
            new Request.Builder()
                .url(fileUrl)
                .header("Content-Range", "bytes " + start + "-" + (end - 1) + "/" + length)
                // The committed offset, not the progress: a retry resends the unfinished chunk.
                .patch(
                    new FileRangeBody(
                        fs, path, start, end - start, written -> heartbeat.keepAlive(start)))
                .build();
        session.execute(patch, status -> false).close();
        uploaded("large", end - start);
        offset = end;
        heartbeat.beat(offset);
      }
      post("COMPLETE");
    }

    private void post(String action) {
      Request call =
          new Request.Builder()
              .url(fileUrl.newBuilder().addQueryParameter("action", action).build())
              .post(RequestBody.create(new byte[0], null))
              .build();
      session.execute(call, status -> false).close();
    }
  }

  @Override
  public BatchCallResult completeBatch(BatchRequest request) {
    PlatformSession session = session(request.sink());
    Request call = batchAction(session, request.batchId(), "COMPLETE");
    try (Response response = session.execute(call, MAYBE_COMPLETED::contains)) {
      if (response.isSuccessful()) {
        return new BatchCallResult(response.code());
      }
      String refusal = bodyText(response);
      // A retried COMPLETE whose first attempt went through is refused; the batch then is no
      // longer loading, and the refusal is the answer the workflow wanted.
      BatchStatusResult status = batchStatus(request);
      if (!"loading".equalsIgnoreCase(status.status())) {
        log.info(
            "batch {} already completed ({}); COMPLETE answered {}",
            request.batchId(),
            status.status(),
            response.code());
        return new BatchCallResult(response.code());
      }
      throw ApplicationFailure.newNonRetryableFailure(
          "POST "
              + call.url().encodedPath()
              + "?action=COMPLETE answered HTTP "
              + response.code()
              + " for batch "
              + request.batchId()
              + ": "
              + refusal,
          FailureTypes.HTTP_CLIENT_ERROR);
    }
  }

  @Override
  public BatchStatusResult batchStatus(BatchRequest request) {
    PlatformSession session = session(request.sink());
    HttpUrl url = session.connection.url("catalog", "batches", request.batchId()).build();
    JsonNode batch = PlatformSession.entity(session.getJson(url));
    String status = batch.path("status").asText("");
    Outcome outcome = classify(status);
    List<PlatformError> errors = new ArrayList<>();
    for (JsonNode error : batch.path("errors")) {
      errors.add(
          new PlatformError(
              error.hasNonNull("code") ? error.get("code").asText() : null,
              error.hasNonNull("description") ? error.get("description").asText() : null));
    }
    metrics.poll(url.host(), outcome);
    return new BatchStatusResult(status, outcome, List.copyOf(errors));
  }

  /**
   * success: READY; failure, failed, aborted: FAILED; anything else (loading, processing…):
   * PENDING.
   */
  static Outcome classify(String status) {
    return switch (status.toLowerCase(Locale.ROOT)) {
      case "success" -> Outcome.READY;
      case "failure", "failed", "aborted" -> Outcome.FAILED;
      default -> Outcome.PENDING;
    };
  }

  @Override
  public BatchCallResult abortBatch(BatchRequest request) {
    PlatformSession session = session(request.sink());
    Request call = batchAction(session, request.batchId(), "ABORT");
    try (Response response = session.execute(call, ALREADY_FINAL::contains)) {
      if (!response.isSuccessful()) {
        log.info(
            "batch {} not aborted, already final: HTTP {} {}",
            request.batchId(),
            response.code(),
            bodyText(response));
      }
      return new BatchCallResult(response.code());
    }
  }

  private Request batchAction(PlatformSession session, String batchId, String action) {
    return new Request.Builder()
        .url(
            session
                .connection
                .url("import", "batches", batchId)
                .addQueryParameter("action", action)
                .build())
        .post(RequestBody.create(new byte[0], null))
        .build();
  }

  private PlatformSession session(PlatformBatchSink sink) {
    if (sink == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the platform-batch sink is missing", FailureTypes.INVALID_PIPELINE);
    }
    return new PlatformSession(sink.connection(), client, mapper, secrets, tokens, metrics, clock);
  }

  private static String requireDataset(PlatformBatchSink sink) {
    if (sink.datasetId() == null || sink.datasetId().isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the platform-batch sink needs a datasetId", FailureTypes.INVALID_PIPELINE);
    }
    return sink.datasetId();
  }

  private static long size(String name, String text) {
    try {
      return DataSize.parseBytes(text);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "platform-batch " + name + ": " + e.getMessage(), FailureTypes.INVALID_PIPELINE);
    }
  }

  private static long length(FileSystem fs, Path path, String uri) {
    try {
      return fs.getFileStatus(path).getLen();
    } catch (FileNotFoundException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "staged file " + uri + " does not exist", FailureTypes.STAGED_FILE_MISSING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + uri + ": " + e.getMessage(), e);
    }
  }

  private void uploaded(String protocol, long bytes) {
    Counter.builder(UPLOADED_BYTES)
        .description("Bytes uploaded into platform batches")
        .baseUnit("bytes")
        .tag("protocol", protocol)
        .register(registry)
        .increment(bytes);
  }

  private static String bodyText(Response response) {
    try {
      return response.peekBody(1024).string();
    } catch (IOException e) {
      return "(body unreadable: " + e.getMessage() + ")";
    }
  }

  private static String snippet(JsonNode answer) {
    String text = answer.toString();
    return text.length() > 1024 ? text.substring(0, 1024) + "…" : text;
  }

  /**
   * {@inheritDoc} The record is the JSON {@code {"datasetId","batchId","files","recordedAt"}}
   * {@link #recordSentBatch} writes. A recorded batch of another dataset than the sink's (the
   * pipeline was pointed elsewhere since) is left out too: the platform replaces only batches of
   * the same dataset.
   *
   * @throws ApplicationFailure non-retryable {@link FailureTypes#MALFORMED_DATA} when the record is
   *     not such JSON: sending without replacing would duplicate the window, so a person decides
   *     (deleting the record sends the window as new)
   */
  @Override
  public SentBatchesResult sentBatches(SentBatchesRequest request) {
    Optional<String> text = files.readString(request.recordUri());
    if (text.isEmpty()) {
      return new SentBatchesResult(List.of());
    }
    JsonNode record;
    try {
      record = mapper.readTree(text.get());
    } catch (IOException e) {
      record = null;
    }
    if (record == null || !record.path("batchId").isTextual()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the sent-batch record "
              + request.recordUri()
              + " is not a JSON object with a batchId; delete it to send the window as a new"
              + " batch",
          FailureTypes.MALFORMED_DATA);
    }
    String datasetId = record.path("datasetId").asText(null);
    if (datasetId != null && !datasetId.equals(request.sink().datasetId())) {
      log.info(
          "sent-batch record {} names dataset {}, the sink sends to {}: nothing to replace",
          request.recordUri(),
          datasetId,
          request.sink().datasetId());
      return new SentBatchesResult(List.of());
    }
    String batchId = record.get("batchId").asText();
    PlatformSession session = session(request.sink());
    HttpUrl url = session.connection.url("catalog", "batches", batchId).build();
    Request call =
        new Request.Builder().url(url).header("Accept", "application/json").get().build();
    try (Response response = session.execute(call, status -> status == 404)) {
      if (response.code() == 404) {
        log.info("sent batch {} is gone from the platform: nothing to replace", batchId);
        return new SentBatchesResult(List.of());
      }
      String status =
          PlatformSession.entity(session.json(call, response)).path("status").asText("");
      if (classify(status) != Outcome.READY) {
        log.info("sent batch {} is {} on the platform: nothing to replace", batchId, status);
        return new SentBatchesResult(List.of());
      }
      return new SentBatchesResult(List.of(batchId));
    }
  }

  /**
   * {@inheritDoc} Written as {@code {"datasetId","batchId","files","recordedAt"}}, replacing the
   * record whole (a temporary sibling renamed over it; a whole-object write on object stores), so a
   * reader finds the earlier record or this one, never a part.
   */
  @Override
  public SentBatchesResult recordSentBatch(RecordSentBatchRequest request) {
    if (request.batchId() == null || request.batchId().isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "recordSentBatch needs a batch ID", FailureTypes.INVALID_PIPELINE);
    }
    ObjectNode record = mapper.createObjectNode();
    record.put("datasetId", request.datasetId());
    record.put("batchId", request.batchId());
    ArrayNode names = record.putArray("files");
    if (request.files() != null) {
      request.files().forEach(names::add);
    }
    record.put("recordedAt", clock.instant().toString());
    files.writeStringAtomically(request.recordUri(), record.toString());
    return new SentBatchesResult(List.of(request.batchId()));
  }
}
