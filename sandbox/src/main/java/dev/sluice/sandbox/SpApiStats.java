package dev.sluice.sandbox;

import java.util.Map;

/**
 * What the Selling Partner API emulation has served since start or the last reset.
 *
 * @param reportsCreated {@code createReport} calls that created a report
 * @param reportsInFlight reports neither DONE, CANCELLED nor FATAL now
 * @param statusPolls {@code getReport} calls
 * @param documentRequests {@code getReportDocument} calls (each handed out a fresh URL)
 * @param downloads report documents served by the S3 host (whole or a range)
 * @param expiredUrlRefusals S3 downloads refused because their URL had expired
 * @param credentialsSentToS3 requests to the S3 host that carried an {@code Authorization} or
 *     {@code x-amz-access-token} header: a correct client sends none
 * @param unauthorized 403 answers for a missing, unknown or expired access token
 * @param requests requests per kind ({@code token}, {@code createReport}, {@code getReport}, {@code
 *     getReportDocument}, {@code object}), faults included
 * @param maxInFlight the most requests per kind handled at once
 */
public record SpApiStats(
    long reportsCreated,
    long reportsInFlight,
    long statusPolls,
    long documentRequests,
    long downloads,
    long expiredUrlRefusals,
    long credentialsSentToS3,
    long unauthorized,
    long tokenGrants,
    long cancels,
    Map<String, Long> requests,
    Map<String, Integer> maxInFlight) {

  /** Requests of {@code kind} so far, throttled and dropped ones included. */
  public long requests(String kind) {
    return requests.getOrDefault(kind, 0L);
  }
}
