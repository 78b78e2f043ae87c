package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Optional clean-up requests.
 *
 * @param abort sent when a run is cancelled or times out while the provider job is live
 * @param delete sent after the result has been downloaded and published
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CleanupSpec(RequestSpec abort, RequestSpec delete) {}
