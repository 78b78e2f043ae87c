package dev.sluice.sandbox;

import java.util.List;

/**
 * What the generic export API has served since start or the last reset.
 *
 * @param exports every export created (idempotent repeats count once), oldest first
 * @param unauthorizedResponses 401 answers sent for a missing or wrong API key
 */
public record GenericStats(
    long statusPolls,
    long dataPagesServed,
    long unauthorizedResponses,
    List<ExportSummary> exports) {

  /** An export and its status ({@code queued}, {@code running}, {@code ready}, {@code failed}). */
  public record ExportSummary(String id, String status) {}
}
