package dev.sluice.sandbox;

import java.util.List;
import java.util.Map;

/**
 * What the generic export API has served since start or the last reset.
 *
 * @param exports every export created (idempotent repeats count once), oldest first
 * @param unauthorizedResponses 401 answers sent for a missing or wrong API key
 * @param requests requests per fault kind ({@code export-create}, {@code export-status}, {@code
 *     export-data}, {@code export-delete}), including those a fault answered; a kind not asked
 *     for yet is absent
 * @param requestsInsideRetryAfter requests that arrived before a {@code Retry-After} the API
 *     announced for their kind had passed
 * @param openResponses responses whose body is being sent right now
 * @param exportsInFlight exports queued or running now (created, not yet ready or failed)
 * @param maxExportsInFlight the most exports in flight at once: what a provider's limit of
 *     running jobs counts
 */
public record GenericStats(
    long statusPolls,
    long dataPagesServed,
    long unauthorizedResponses,
    List<ExportSummary> exports,
    Map<String, Long> requests,
    long requestsInsideRetryAfter,
    int openResponses,
    int exportsInFlight,
    int maxExportsInFlight) {

  /** Requests of {@code kind} so far, throttled and dropped ones included. */
  public long requests(String kind) {
    return requests.getOrDefault(kind, 0L);
  }

  /** An export and its status ({@code queued}, {@code running}, {@code ready}, {@code failed}). */
  public record ExportSummary(String id, String status) {}
}
