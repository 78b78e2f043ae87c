package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A provider-wide limit on running jobs, shared by every pipeline and worker that names the same
 * {@code key}: at most {@code maxRunningJobs} provider jobs with that key are submitted and not yet
 * finished (ready, failed, or aborted or deleted by clean-up). A run waits for a permit before it
 * submits. When pipelines sharing a key disagree, the smallest {@code maxRunningJobs} among the
 * runs holding or waiting wins.
 *
 * @param key the name of the shared limit, e.g. {@code marketo-acme}
 * @param maxRunningJobs how many jobs with this key may run at once (at least 1)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConcurrencySpec(@Required String key, @Required Integer maxRunningJobs) {}
