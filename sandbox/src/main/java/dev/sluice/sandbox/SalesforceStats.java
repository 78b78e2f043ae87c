package dev.sluice.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the Salesforce emulation has served since start or the last reset.
 *
 * @param unauthorizedResponses 401 answers sent for a missing, unknown, expired or revoked token
 * @param jobs every job that still exists (not deleted), oldest first
 * @param requests requests per fault kind ({@code token}, {@code create}, {@code status}, {@code
 *     results}), including those a fault answered; a kind not asked for yet is absent
 * @param requestsInsideRetryAfter requests that arrived before a {@code Retry-After} the emulation
 *     announced for their kind had passed
 * @param openResponses responses whose body is being sent right now
 * @param maxInFlight the most requests per fault kind handled at once (parallel {@code results}
 *     downloads of {@code resultPages} URLs show here)
 */
public record SalesforceStats(
    long jobsCreated,
    long statusPolls,
    long resultPagesServed,
    long aborts,
    long deletes,
    long tokenGrants,
    long unauthorizedResponses,
    List<JobSummary> jobs,
    Map<String, Long> requests,
    long requestsInsideRetryAfter,
    int openResponses,
    Map<String, Integer> maxInFlight) {

  /** Requests of {@code kind} so far, throttled and dropped ones included. */
  public long requests(String kind) {
    return requests.getOrDefault(kind, 0L);
  }

  /**
   * A job, its state name ({@code UploadComplete}, {@code InProgress}, {@code JobComplete}…) and
   * when things happened to it (ISO-8601 instants, so the stats endpoint serializes them as is;
   * null until they happen). {@code readyAt} to {@code firstResultsAt} is how long a client took to
   * notice the job was ready and start downloading.
   *
   * @param createdAt when the job was created
   * @param readyAt when it became {@code JobComplete} (see {@code QueryJob#readyAt})
   * @param firstResultsAt when its first results page was served
   */
  public record JobSummary(
      String id, String state, String createdAt, String readyAt, String firstResultsAt) {

    static JobSummary of(
        String id, String state, Instant createdAt, Instant readyAt, Instant firstResultsAt) {
      return new JobSummary(id, state, text(createdAt), text(readyAt), text(firstResultsAt));
    }

    private static String text(Instant instant) {
      return instant == null ? null : instant.toString();
    }
  }
}
