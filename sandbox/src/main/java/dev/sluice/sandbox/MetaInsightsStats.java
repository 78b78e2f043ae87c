package dev.sluice.sandbox;

import java.util.Map;

/**
 * What the Meta Ads Insights emulation has served since start or the last reset.
 *
 * @param runsCreated report runs started
 * @param runsInFlight report runs neither completed nor failed now
 * @param maxRunsInFlight the most report runs unfinished at once
 * @param statusReads {@code GET /{report_run_id}} requests
 * @param insightsPages {@code GET /{report_run_id}/insights} pages served
 * @param requests requests per kind ({@code createRun}, {@code readRun}, {@code insights})
 */
public record MetaInsightsStats(
    long runsCreated,
    long runsInFlight,
    int maxRunsInFlight,
    long statusReads,
    long insightsPages,
    long unauthorized,
    Map<String, Long> requests) {}
