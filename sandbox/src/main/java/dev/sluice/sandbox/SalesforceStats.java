package dev.sluice.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the Salesforce emulation has served since start or the last reset.
 *
 * @param unauthorizedResponses 401 answers sent for a missing, unknown, expired or revoked token
 * @param jobs every job that still exists (not deleted), oldest first
 */
public record SalesforceStats(
    long jobsCreated,
    long statusPolls,
    long resultPagesServed,
    long aborts,
    long deletes,
    long tokenGrants,
    long unauthorizedResponses,
    List<JobSummary> jobs) {

  /**
   * A job, its state name ({@code UploadComplete}, {@code InProgress}, {@code JobComplete}…) and
   * when things happened to it (ISO-8601 instants, so the stats endpoint serializes them as is;
   * null until they happen). {@code readyAt} to {@code firstResultsAt} is how long a client took to
   * notice the job was ready and start downloading.
   *
   * <p>Equality is by {@code id} and {@code state} only: the instants are wall-clock observations,
   * and a summary built as {@code new JobSummary(id, state)} must match the job it describes.
   *
   * @param createdAt when the job was created
   * @param readyAt when it became {@code JobComplete} (see {@code QueryJob#readyAt})
   * @param firstResultsAt when its first results page was served
   */
  public record JobSummary(
      String id, String state, String createdAt, String readyAt, String firstResultsAt) {

    /** A summary without timestamps, for comparisons. */
    public JobSummary(String id, String state) {
      this(id, state, null, null, null);
    }

    static JobSummary of(
        String id, String state, Instant createdAt, Instant readyAt, Instant firstResultsAt) {
      return new JobSummary(id, state, text(createdAt), text(readyAt), text(firstResultsAt));
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof JobSummary that && id.equals(that.id) && state.equals(that.state);
    }

    @Override
    public int hashCode() {
      return Objects.hash(id, state);
    }

    private static String text(Instant instant) {
      return instant == null ? null : instant.toString();
    }
  }
}
