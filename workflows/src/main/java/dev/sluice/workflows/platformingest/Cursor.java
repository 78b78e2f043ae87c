package dev.sluice.workflows.platformingest;

import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.PlatformSourceMessages.SourceBatch;
import io.temporal.failure.ApplicationFailure;

/**
 * A position in the dataset's batches: created time and, for ties, the batch ID.
 *
 * @param stored the watermark text it was read from, or null
 */
record Cursor(long created, String batchId, String stored) {
  static Cursor of(SourceBatch b) {
    return new Cursor(b.created(), b.batchId(), null);
  }

  /** {@code <created-millis>/<batch-id>}, as stored by {@link #toString}. */
  static Cursor parse(String stored) {
    int slash = stored.indexOf('/');
    try {
      if (slash < 0) {
        return new Cursor(Long.parseLong(stored), null, stored);
      }
      return new Cursor(
          Long.parseLong(stored.substring(0, slash)), stored.substring(slash + 1), stored);
    } catch (NumberFormatException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the table's watermark '"
              + stored
              + "' is not a platform source position (<created-millis>/<batch-id>); was the"
              + " table written by another pipeline?",
          FailureType.INVALID_PIPELINE.type());
    }
  }

  /** Whether {@code b} comes after this position (created, then batch ID). */
  boolean before(SourceBatch b) {
    if (b.created() != created) {
      return b.created() > created;
    }
    return batchId == null || b.batchId().compareTo(batchId) > 0;
  }

  @Override
  public String toString() {
    return batchId == null ? Long.toString(created) : created + "/" + batchId;
  }
}
