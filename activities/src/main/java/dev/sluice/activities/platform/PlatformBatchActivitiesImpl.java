package dev.sluice.activities.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.ProviderActivities;
import dev.sluice.activities.http.ProviderClients;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.PlatformBatchActivities;
import dev.sluice.workflows.activities.PlatformMessages.BatchCallResult;
import dev.sluice.workflows.activities.PlatformMessages.BatchRequest;
import dev.sluice.workflows.activities.PlatformMessages.BatchStatusResult;
import dev.sluice.workflows.activities.PlatformMessages.CreateBatchRequest;
import dev.sluice.workflows.activities.PlatformMessages.CreateBatchResult;
import dev.sluice.workflows.activities.PlatformMessages.RecordSentBatchRequest;
import dev.sluice.workflows.activities.PlatformMessages.SentBatchesRequest;
import dev.sluice.workflows.activities.PlatformMessages.SentBatchesResult;
import dev.sluice.workflows.activities.PlatformMessages.UploadRequest;
import dev.sluice.workflows.activities.PlatformMessages.UploadResult;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PlatformBatchActivities} over Adobe Experience Platform's Data Ingestion and Catalog APIs
 * (and the sandbox's emulation of them). One instance per worker: it shares the worker's client,
 * JSON mapper and an IMS token cache between all sinks.
 */
public final class PlatformBatchActivitiesImpl extends ProviderActivities implements PlatformBatchActivities {
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


  /**
   * @param providers the worker's provider clients (client, mapper, secrets, meters, tokens)
   * @param files reads the staged Parquet files by URI
   */
  public PlatformBatchActivitiesImpl(ProviderClients providers, HadoopFiles files) {
    super(providers, files);
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
    ObjectNode body = providers.json().createObjectNode();
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
          FailureType.REQUEST_ID_NOT_FOUND.type());
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
    return new BatchFileUpload(files, providers.registry()).upload(session(request.sink()), request);
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
          FailureType.HTTP_CLIENT_ERROR.type());
    }
  }

  @Override
  public BatchStatusResult batchStatus(BatchRequest request) {
    PlatformSession session = session(request.sink());
    HttpUrl url = session.connection.url("catalog", "batches", request.batchId()).build();
    JsonNode batch = PlatformSession.entity(session.getJson(url));
    String status = batch.path("status").asText("");
    Outcome outcome = classify(status);
    providers.metrics().poll(url.host(), outcome);
    return new BatchStatusResult(status, outcome, CatalogBatches.errors(batch));
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
          "the platform-batch sink is missing", FailureType.INVALID_PIPELINE.type());
    }
    return new PlatformSession(sink.connection(), providers);
  }

  static String requireDataset(PlatformBatchSink sink) {
    if (sink.datasetId() == null || sink.datasetId().isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the platform-batch sink needs a datasetId", FailureType.INVALID_PIPELINE.type());
    }
    return sink.datasetId();
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
   * @throws ApplicationFailure non-retryable {@link FailureType#MALFORMED_DATA} when the record is
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
      record = providers.json().readTree(text.get());
    } catch (IOException e) {
      record = null;
    }
    if (record == null || !record.path("batchId").isTextual()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the sent-batch record "
              + request.recordUri()
              + " is not a JSON object with a batchId; delete it to send the window as a new"
              + " batch",
          FailureType.MALFORMED_DATA.type());
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
          "recordSentBatch needs a batch ID", FailureType.INVALID_PIPELINE.type());
    }
    ObjectNode record = providers.json().createObjectNode();
    record.put("datasetId", request.datasetId());
    record.put("batchId", request.batchId());
    ArrayNode names = record.putArray("files");
    if (request.files() != null) {
      request.files().forEach(names::add);
    }
    record.put("recordedAt", providers.clock().instant().toString());
    files.writeStringAtomically(request.recordUri(), record.toString());
    return new SentBatchesResult(List.of(request.batchId()));
  }
}
