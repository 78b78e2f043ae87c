package dev.sluice.sandbox.platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A batch's state: {@code loading} while files are uploaded, {@code processing} once completed (its
 * outcome already decided, published when the processing rule allows), then {@code success}, {@code
 * failure}/{@code failed}; {@code aborted} on request; {@code replaced} when a later replay batch
 * superseded it. A batch seeded with content ({@link #seedContent}) may instead be held in any
 * status until {@link #settle} moves it on. Every method is called under the batch's lock
 * (synchronized).
 */
final class Batch {

  static final String LOADING = "loading";
  static final String PROCESSING = "processing";
  static final String SUCCESS = "success";
  static final String ABORTED = "aborted";
  static final String REPLACED = "replaced";

  /** Statuses a seeded batch ends in; any other keeps it held. */
  static final Set<String> FINAL_SEEDED = Set.of(SUCCESS, "failure", "failed", ABORTED, "inactive");

  /** A file as uploaded: the last bytes under its name, and how many times the name was written. */
  record Staged(byte[] bytes, int uploads) {}

  /**
   * A physical file of a successful batch, readable through Data Access. Several parts may share
   * one {@code dataSetFileId}: a dataset file is a directory of parts on the platform.
   */
  record Published(String dataSetFileId, String name, byte[] bytes, long created) {}

  final String id;
  final String datasetId;
  final long created;
  final List<String> predecessors;
  private final Map<String, Staged> staged = new TreeMap<>();
  private final Map<String, LargeFile> largeFiles = new LinkedHashMap<>();
  private final List<Published> published = new ArrayList<>();
  private String status = LOADING;
  private long updated;
  private List<BatchError> errors = List.of();
  private String replacedBy;
  private long completedAt;
  private int polls;
  private String outcome;
  private List<BatchError> outcomeErrors = List.of();
  private long recordCount;

  /** The client's {@code tags}, as it sent them on create (Catalog returns them as they are). */
  private Map<String, List<String>> tags = Map.of();

  /** A seeded batch whose status stays as seeded (no processing rule applies) until settled. */
  private boolean held;

  /** What a seeded-content batch publishes once it succeeds. */
  private List<Published> seededFiles = List.of();

  Batch(String id, String datasetId, long created, List<String> predecessors) {
    this.id = id;
    this.datasetId = datasetId;
    this.created = created;
    this.updated = created;
    this.predecessors = List.copyOf(predecessors);
  }

  synchronized void tags(Map<String, List<String>> newTags) {
    this.tags = Map.copyOf(newTags);
  }

  synchronized Map<String, List<String>> tags() {
    return tags;
  }

  synchronized String status() {
    return status;
  }

  synchronized long updated() {
    return updated;
  }

  synchronized List<BatchError> errors() {
    return errors;
  }

  synchronized String replacedBy() {
    return replacedBy;
  }

  synchronized long recordCount() {
    return recordCount;
  }

  synchronized Map<String, Staged> staged() {
    return new TreeMap<>(staged);
  }

  synchronized List<Published> published() {
    return List.copyOf(published);
  }

  synchronized int polls() {
    return polls;
  }

  synchronized boolean isFinal() {
    return !held && !status.equals(LOADING) && !status.equals(PROCESSING);
  }

  /** Stores {@code bytes} under {@code name}, replacing an earlier upload of the same name. */
  synchronized void stage(String name, byte[] bytes, long now) {
    requireLoading();
    Staged before = staged.get(name);
    staged.put(name, new Staged(bytes, before == null ? 1 : before.uploads() + 1));
    updated = now;
  }

  /** The large-file upload of {@code name}, started over by each INITIALIZE. */
  synchronized LargeFile initializeLarge(String name) {
    requireLoading();
    LargeFile file = new LargeFile();
    largeFiles.put(name, file);
    return file;
  }

  synchronized LargeFile large(String name) {
    requireLoading();
    LargeFile file = largeFiles.get(name);
    if (file == null) {
      throw PlatformFailure.badRequest(
          "file " + name + " of batch " + id + " was not initialized (action=INITIALIZE)");
    }
    return file;
  }

  synchronized void finishLarge(String name, long now) {
    stage(name, large(name).assemble(), now);
    largeFiles.remove(name);
  }

  /**
   * Promotes the batch with its outcome decided now; it is published later by {@link #advance}.
   *
   * @return false when the batch had already been completed (a retried COMPLETE is accepted as is)
   * @throws PlatformFailure 400 when the batch was aborted or already finished otherwise
   */
  synchronized boolean complete(
      long now, String outcomeStatus, List<BatchError> outcomeErrors, long records) {
    if (!status.equals(LOADING)) {
      if (completedAt > 0 && !status.equals(ABORTED)) {
        return false;
      }
      throw PlatformFailure.badRequest(
          "batch " + id + " is " + status + " and cannot be completed");
    }
    status = PROCESSING;
    completedAt = now;
    updated = now;
    outcome = outcomeStatus;
    this.outcomeErrors = List.copyOf(outcomeErrors);
    recordCount = records;
    return true;
  }

  /**
   * Publishes the outcome once the batch has been polled {@code pollsNeeded} times (counting this
   * poll when {@code poll}) and {@code minProcessing} millis have passed since completion.
   *
   * @return true when this call moved the batch to its final status
   */
  synchronized boolean advance(long now, boolean poll, int pollsNeeded, long minProcessingMillis) {
    if (held || !status.equals(PROCESSING)) {
      return false;
    }
    if (poll) {
      polls++;
    }
    if (polls < pollsNeeded || now - completedAt < minProcessingMillis) {
      return false;
    }
    status = outcome;
    errors = outcomeErrors;
    updated = now;
    if (status.equals(SUCCESS)) {
      int index = 0;
      for (Map.Entry<String, Staged> file : staged.entrySet()) {
        published.add(
            new Published(id + "-" + (++index), file.getKey(), file.getValue().bytes(), now));
      }
    }
    return true;
  }

  /** A seeded batch: successful from the start with these files. */
  synchronized void seed(Map<String, byte[]> files, long records) {
    files.forEach((name, bytes) -> staged.put(name, new Staged(bytes, 1)));
    completedAt = created;
    outcome = SUCCESS;
    recordCount = records;
    status = PROCESSING;
    advance(created, false, 0, 0);
  }

  /**
   * A seeded batch with these files (parts grouped into dataset files already) in {@code status}
   * with {@code errors}: {@code success} publishes the files at once; {@code failure}, {@code
   * failed}, {@code aborted} and {@code inactive} are final and publish nothing; any other status
   * ({@code loading}, {@code processing}, {@code staging}, {@code queued}…) holds the batch there
   * until {@link #settle}.
   */
  synchronized void seedContent(
      List<Published> files, String seededStatus, List<BatchError> seededErrors, long records) {
    files.forEach(f -> staged.put(f.name(), new Staged(f.bytes(), 1)));
    seededFiles = List.copyOf(files);
    recordCount = records;
    completedAt = created;
    held = true;
    settle(seededStatus, seededErrors, created);
  }

  /** Whether the batch was seeded in a status that waits for {@link #settle}. */
  synchronized boolean held() {
    return held;
  }

  /**
   * Moves a held seeded batch to {@code newStatus} (see {@link #seedContent}).
   *
   * @throws IllegalArgumentException when the batch is not held (not seeded pending, or settled)
   */
  synchronized void settle(String newStatus, List<BatchError> newErrors, long now) {
    if (!held) {
      throw new IllegalArgumentException("batch " + id + " is " + status + ", not held pending");
    }
    status = newStatus;
    errors = List.copyOf(newErrors);
    updated = now;
    held = !FINAL_SEEDED.contains(newStatus);
    if (newStatus.equals(SUCCESS)) {
      published.addAll(seededFiles);
    }
  }

  /**
   * @throws PlatformFailure 400 when the batch is already final
   */
  synchronized void abort(long now) {
    if (!status.equals(LOADING) && !status.equals(PROCESSING) && !held) {
      throw PlatformFailure.badRequest(
          "batch " + id + " is already " + status + " and cannot be aborted");
    }
    status = ABORTED;
    held = false;
    updated = now;
  }

  synchronized void replace(String byBatch, long now) {
    status = REPLACED;
    replacedBy = byBatch;
    updated = now;
  }

  private void requireLoading() {
    if (!status.equals(LOADING)) {
      throw PlatformFailure.badRequest(
          "batch " + id + " is " + status + ": files can be added only while it is loading");
    }
  }
}
