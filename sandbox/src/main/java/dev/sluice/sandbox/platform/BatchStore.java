package dev.sluice.sandbox.platform;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Datasets and batches of the emulated platform, with the processing rules applied on each read.
 */
final class BatchStore {

  private final Map<String, DatasetSeed> datasets = new LinkedHashMap<>();
  private final Map<String, Batch> batches = new LinkedHashMap<>();
  private final List<String> createdByApi = new ArrayList<>();
  // Not reset with the rest, so a batch ID is never handed out twice by one sandbox.
  private final AtomicLong nextId = new AtomicLong(1);
  private final Clock clock;
  private final Processing processing;

  BatchStore(Clock clock, Processing processing) {
    this.clock = clock;
    this.processing = processing;
  }

  synchronized void clear() {
    datasets.clear();
    batches.clear();
    createdByApi.clear();
  }

  synchronized void addDataset(DatasetSeed dataset) {
    if (datasets.containsKey(dataset.id())) {
      throw new IllegalArgumentException("dataset " + dataset.id() + " already exists");
    }
    datasets.put(dataset.id(), dataset);
  }

  synchronized List<DatasetSeed> datasets() {
    return datasets.values().stream()
        .sorted(Comparator.comparingLong(DatasetSeed::createdMillis).thenComparing(DatasetSeed::id))
        .toList();
  }

  synchronized Optional<DatasetSeed> dataset(String id) {
    return Optional.ofNullable(datasets.get(id));
  }

  /**
   * @throws PlatformFailure 404 for an unknown dataset
   */
  DatasetSeed requireDataset(String id) {
    return dataset(id).orElseThrow(() -> PlatformFailure.notFound("dataset " + id + " not found"));
  }

  /** A schema by its registry path ({@code context/person}): the first dataset linking it. */
  synchronized Optional<DatasetSeed> schema(String path) {
    return datasets.values().stream().filter(d -> path.equals(d.schemaPath())).findFirst();
  }

  /**
   * @throws PlatformFailure 400 for a replay of batches that are unknown, of another dataset or not
   *     successful
   */
  synchronized Batch create(String datasetId, List<String> predecessors) {
    for (String predecessor : predecessors) {
      Batch old = batches.get(predecessor);
      if (old == null || !old.datasetId.equals(datasetId) || !old.status().equals(Batch.SUCCESS)) {
        throw PlatformFailure.badRequest(
            "replay predecessor "
                + predecessor
                + " must be a successful batch of dataset "
                + datasetId);
      }
    }
    String id = String.format("5bd0%028x", nextId.getAndIncrement());
    Batch batch = new Batch(id, datasetId, clock.millis(), predecessors);
    batches.put(id, batch);
    createdByApi.add(id);
    return batch;
  }

  synchronized void seed(Batch batch) {
    if (batches.containsKey(batch.id)) {
      throw new IllegalArgumentException("batch " + batch.id + " already exists");
    }
    batches.put(batch.id, batch);
  }

  /**
   * The batch, advanced by the processing rules; {@code poll} counts this read as a status poll.
   *
   * @throws PlatformFailure 404 for an unknown batch
   */
  Batch get(String id, boolean poll) {
    Batch batch;
    synchronized (this) {
      batch = batches.get(id);
    }
    if (batch == null) {
      throw PlatformFailure.notFound("batch " + id + " not found");
    }
    advance(batch, poll);
    return batch;
  }

  /** Every batch, advanced by time (not counted as polls), oldest first. */
  List<Batch> all() {
    List<Batch> all;
    synchronized (this) {
      all = new ArrayList<>(batches.values());
    }
    all.forEach(b -> advance(b, false));
    all.sort(Comparator.comparingLong((Batch b) -> b.created).thenComparing(b -> b.id));
    return all;
  }

  synchronized List<String> createdByApi() {
    return List.copyOf(createdByApi);
  }

  /** The batch, as it is (not advanced). */
  synchronized Optional<Batch> find(String id) {
    return Optional.ofNullable(batches.get(id));
  }

  /**
   * The published physical files of a dataset file, by its {@code dataSetFileId} ({@code
   * <batchId>-<n>}); empty when there is no such file.
   */
  List<Batch.Published> parts(String dataSetFileId) {
    int dash = dataSetFileId.lastIndexOf('-');
    if (dash < 0) {
      return List.of();
    }
    Batch batch;
    synchronized (this) {
      batch = batches.get(dataSetFileId.substring(0, dash));
    }
    return batch == null
        ? List.of()
        : batch.published().stream().filter(f -> f.dataSetFileId().equals(dataSetFileId)).toList();
  }

  private void advance(Batch batch, boolean poll) {
    long now = clock.millis();
    if (batch.advance(now, poll, processing.pollsBeforeFinal(), processing.minimumTime().toMillis())
        && batch.status().equals(Batch.SUCCESS)) {
      // Replay: the new batch supersedes its predecessors once it has succeeded.
      synchronized (this) {
        for (String predecessor : batch.predecessors) {
          Batch old = batches.get(predecessor);
          if (old != null) {
            old.replace(batch.id, now);
          }
        }
      }
    }
  }
}
