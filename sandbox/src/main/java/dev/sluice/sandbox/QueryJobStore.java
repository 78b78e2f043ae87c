package dev.sluice.sandbox;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The query jobs that exist, by ID. */
final class QueryJobStore {

  private final Map<String, QueryJob> jobs = new ConcurrentHashMap<>();
  // Never reset, so an ID is never reused even across SalesforceEmulator.reset().
  private final AtomicLong sequence = new AtomicLong();

  /** A new 18-character {@code 750…} job ID. */
  String nextId() {
    return SalesforceIds.of("750", sequence.incrementAndGet());
  }

  void add(QueryJob job) {
    jobs.put(job.id(), job);
  }

  /**
   * The job with {@code id}.
   *
   * @throws HttpFailure 404 {@code NOT_FOUND} when there is none (never created, or deleted)
   */
  QueryJob get(String id) {
    QueryJob job = jobs.get(id);
    if (job == null) {
      throw SalesforceErrors.failure(404, "NOT_FOUND", "The requested resource does not exist");
    }
    return job;
  }

  void remove(String id) {
    jobs.remove(id);
  }

  /** Every job, oldest first. */
  List<QueryJob> all() {
    return jobs.values().stream().sorted(Comparator.comparing(QueryJob::id)).toList();
  }

  void clear() {
    jobs.clear();
  }
}
