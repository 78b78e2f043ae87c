package dev.sluice.sandbox;

import java.util.List;

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

  /** A job and its state name ({@code UploadComplete}, {@code InProgress}, {@code JobComplete}…). */
  public record JobSummary(String id, String state) {}
}
