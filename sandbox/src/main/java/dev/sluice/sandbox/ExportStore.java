package dev.sluice.sandbox;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The exports that exist, by ID and by the {@code Idempotency-Key} they were created with. */
final class ExportStore {

  private static final long FIRST_ID = 12345;

  private final Map<String, Export> byId = new ConcurrentHashMap<>();
  private final Map<String, Export> byIdempotencyKey = new ConcurrentHashMap<>();
  // Never reset, so an ID is never reused even across GenericExportEmulator.reset().
  private final AtomicLong sequence = new AtomicLong(FIRST_ID - 1);

  /** The most exports queued or running at once since start or the last clear. */
  private int maxInFlight;

  /**
   * Creates an export, or returns the one created earlier with the same non-null {@code
   * idempotencyKey} (whatever its spec).
   */
  synchronized Export create(ExportSpec spec, String idempotencyKey) {
    Export existing = idempotencyKey == null ? null : byIdempotencyKey.get(idempotencyKey);
    if (existing != null) {
      return existing;
    }
    Export export = new Export(Long.toString(sequence.incrementAndGet()), spec);
    byId.put(export.id(), export);
    if (idempotencyKey != null) {
      byIdempotencyKey.put(idempotencyKey, export);
    }
    // Only a create adds one: a poll or a delete only ever lowers the count.
    maxInFlight = Math.max(maxInFlight, inFlight());
    return export;
  }

  /**
   * The export with {@code id}.
   *
   * @throws HttpFailure 404 when there is none
   */
  Export get(String id) {
    Export export = byId.get(id);
    if (export == null) {
      throw new HttpFailure(Response.error(404, "no export " + id));
    }
    return export;
  }

  /** Every export, oldest first. */
  List<Export> all() {
    return byId.values().stream()
        .sorted(Comparator.comparing(e -> Long.parseLong(e.id())))
        .toList();
  }

  /** Exports queued or running now: submitted, not yet ready or failed. */
  int inFlight() {
    return (int)
        byId.values().stream()
            .filter(e -> e.status() == Export.Status.QUEUED || e.status() == Export.Status.RUNNING)
            .count();
  }

  /** The most exports {@link #inFlight} at once since start or the last {@link #clear}. */
  synchronized int maxInFlight() {
    return maxInFlight;
  }

  synchronized void clear() {
    byId.clear();
    byIdempotencyKey.clear();
    maxInFlight = 0;
  }
}
