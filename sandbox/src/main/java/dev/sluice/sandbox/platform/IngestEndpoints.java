package dev.sluice.sandbox.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Data Ingestion API under {@code /data/foundation/import}: create a batch, upload files
 * (whole, or as large files in {@code Content-Range} chunks), complete or abort it. Completing
 * validates every file ({@link ParquetCheck}) and decides the outcome; {@link BatchStore} publishes
 * it as the processing rules allow. A retried COMPLETE of a completed batch answers 200, as the
 * platform's troubleshooting guide promises.
 */
final class IngestEndpoints {

  private static final String BASE = "/data/foundation/import/batches";
  private static final String FILE = BASE + "/([^/]+)/datasets/([^/]+)/files/([^/]+)";

  private final BatchStore store;
  private final Processing processing;
  private final Supplier<PlatformCredentials> credentials;
  private final PlatformCounters counters;
  private final Clock clock;

  IngestEndpoints(
      BatchStore store,
      Processing processing,
      Supplier<PlatformCredentials> credentials,
      PlatformCounters counters,
      Clock clock) {
    this.store = store;
    this.processing = processing;
    this.credentials = credentials;
    this.counters = counters;
    this.clock = clock;
  }

  void register(PlatformRoutes routes) {
    routes
        .gated("POST", BASE, "create", this::create)
        .gated("POST", BASE + "/([^/]+)", "complete", this::action)
        .gated("PUT", FILE, "upload", this::upload)
        .gated("POST", FILE, "upload", this::largeFileAction)
        .gated("PATCH", FILE, "upload", this::chunk);
  }

  private Reply create(Call call) {
    JsonNode body = readObject(call.body());
    String datasetId = body.path("datasetId").asText("");
    if (datasetId.isEmpty()) {
      throw PlatformFailure.badRequest("datasetId is required");
    }
    if (store.dataset(datasetId).isEmpty()) {
      throw PlatformFailure.badRequest("dataset " + datasetId + " not found");
    }
    String format = body.path("inputFormat").path("format").asText("parquet");
    if (!format.equalsIgnoreCase("parquet")) {
      throw PlatformFailure.badRequest(
          "inputFormat.format " + format + " is not supported by the sandbox (parquet only)");
    }
    List<String> predecessors = new ArrayList<>();
    JsonNode replay = body.path("replay");
    if (!replay.isMissingNode()) {
      if (!"replace".equals(replay.path("reason").asText())
          || !replay.path("predecessors").isArray()
          || replay.path("predecessors").isEmpty()) {
        throw PlatformFailure.badRequest(
            "replay needs predecessors (batch IDs) and reason 'replace'");
      }
      replay.path("predecessors").forEach(p -> predecessors.add(p.asText()));
    }
    java.util.Map<String, List<String>> tags = new java.util.LinkedHashMap<>();
    JsonNode tagsNode = body.path("tags");
    if (!tagsNode.isMissingNode()) {
      if (!tagsNode.isObject()) {
        throw PlatformFailure.badRequest("tags must be an object of string arrays");
      }
      for (java.util.Iterator<java.util.Map.Entry<String, JsonNode>> it = tagsNode.fields();
          it.hasNext(); ) {
        java.util.Map.Entry<String, JsonNode> tag = it.next();
        if (!tag.getValue().isArray()) {
          throw PlatformFailure.badRequest("tags." + tag.getKey() + " must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        tag.getValue().forEach(v -> values.add(v.asText()));
        tags.put(tag.getKey(), values);
      }
    }
    Batch batch = store.create(datasetId, predecessors);
    batch.tags(tags);
    counters.increment(PlatformCounters.Event.BATCH_CREATED);
    PlatformCredentials creds = credentials.get();
    ObjectNode json = CatalogJson.batch(batch, creds.imsOrg(), creds.clientId());
    return Reply.json(201, Reply.object().set(batch.id, json));
  }

  private Reply upload(Call call) {
    Batch batch = batchFor(call);
    counters.increment(PlatformCounters.Event.UPLOAD);
    batch.stage(call.group(3), call.body(), clock.millis());
    return fileReply(batch, call.group(3), call.body().length);
  }

  private Reply largeFileAction(Call call) {
    Batch batch = batchFor(call);
    String action = call.query().getOrDefault("action", "");
    switch (action) {
      case "INITIALIZE" -> {
        batch.initializeLarge(call.group(3));
        return Reply.json(201, Reply.object());
      }
      case "COMPLETE" -> {
        counters.increment(PlatformCounters.Event.UPLOAD);
        batch.finishLarge(call.group(3), clock.millis());
        return fileReply(batch, call.group(3), batch.staged().get(call.group(3)).bytes().length);
      }
      default ->
          throw PlatformFailure.badRequest(
              "action must be INITIALIZE or COMPLETE, got '" + action + "'");
    }
  }

  private Reply chunk(Call call) {
    Batch batch = batchFor(call);
    batch.large(call.group(3)).put(call.header("Content-Range"), call.body());
    return Reply.emptyOk();
  }

  private Reply action(Call call) {
    Batch batch = store.get(call.group(1), false);
    String action = call.query().getOrDefault("action", "");
    switch (action) {
      case "COMPLETE" -> {
        counters.increment(PlatformCounters.Event.COMPLETE);
        complete(batch);
        return Reply.emptyOk();
      }
      case "ABORT" -> {
        counters.increment(PlatformCounters.Event.ABORT);
        batch.abort(clock.millis());
        return Reply.emptyOk();
      }
      default ->
          throw PlatformFailure.badRequest(
              "action must be COMPLETE or ABORT, got '" + action + "'");
    }
  }

  private void complete(Batch batch) {
    DatasetSeed dataset = store.requireDataset(batch.datasetId);
    Map<String, Batch.Staged> files = batch.staged();
    List<BatchError> errors = new ArrayList<>();
    long rows = 0;
    if (files.isEmpty()) {
      errors.add(new BatchError("101", "No files were uploaded to batch " + batch.id, List.of()));
    }
    for (Map.Entry<String, Batch.Staged> file : files.entrySet()) {
      String stagePath =
          "sbx://platform/stage/" + batch.id + "/" + dataset.id() + "/" + file.getKey();
      ParquetCheck.Result result = ParquetCheck.check(dataset, stagePath, file.getValue().bytes());
      if (result.ok()) {
        rows += result.rows();
      } else {
        errors.add(result.error());
      }
    }
    Processing.ForcedFailure forced = processing.forcedFailure();
    if (errors.isEmpty() && forced != null) {
      batch.complete(clock.millis(), forced.status(), List.of(forced.error()), 0);
    } else {
      batch.complete(
          clock.millis(),
          errors.isEmpty() ? Batch.SUCCESS : "failure",
          errors,
          errors.isEmpty() ? rows : 0);
    }
    // Polls may be 0: the outcome is then visible at once.
    store.get(batch.id, false);
  }

  /** The batch a file request names; 400 when the dataset is not the batch's. */
  private Batch batchFor(Call call) {
    Batch batch = store.get(call.group(1), false);
    if (!batch.datasetId.equals(call.group(2))) {
      throw PlatformFailure.badRequest(
          "batch "
              + batch.id
              + " belongs to dataset "
              + batch.datasetId
              + ", not "
              + call.group(2));
    }
    return batch;
  }

  private static Reply fileReply(Batch batch, String name, long size) {
    return Reply.json(
        200,
        Reply.object().set(batch.id, Reply.object().put("name", name).put("sizeInBytes", size)));
  }

  private static JsonNode readObject(byte[] body) {
    try {
      JsonNode node = Reply.MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw PlatformFailure.badRequest("request body must be a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw PlatformFailure.badRequest("request body is not JSON: " + e.getMessage());
    }
  }
}
