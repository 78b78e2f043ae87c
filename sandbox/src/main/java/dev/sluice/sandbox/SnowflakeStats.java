package dev.sluice.sandbox;

import java.util.Map;

/**
 * What the Snowflake SQL API emulation has served since start or the last reset.
 *
 * @param statementsSubmitted statements created (a resubmission with the same request ID is not)
 * @param resubmissions submits answered with an existing statement (same {@code requestId})
 * @param statementsRunning statements running now
 * @param statusPolls {@code GET /api/v2/statements/{handle}} requests, partition fetches included
 * @param partitionRequests requests with {@code ?partition=}
 * @param maxPartitionsInFlight the most partition requests being served at once
 * @param requests requests per kind ({@code submit}, {@code status}), faults included
 */
public record SnowflakeStats(
    long statementsSubmitted,
    long resubmissions,
    long statementsRunning,
    long statusPolls,
    long partitionRequests,
    int maxPartitionsInFlight,
    long cancels,
    long unauthorized,
    Map<String, Long> requests) {}
