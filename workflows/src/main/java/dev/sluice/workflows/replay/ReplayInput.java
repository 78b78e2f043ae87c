package dev.sluice.workflows.replay;

import dev.sluice.pipeline.PipelineSpec;

/**
 * Input of {@link ReplayWorkflow}.
 *
 * @param pipeline the validated pipeline
 * @param from start of the first window (ISO-8601 instant)
 * @param to end of the last window; {@code to - from} must be a whole number of {@code
 *     pipeline.window()}s
 * @param maxParallel windows run at once (1: strictly in order)
 * @param upsertStage whether the namespace has the Sluice search attributes registered
 */
public record ReplayInput(
    PipelineSpec pipeline, String from, String to, int maxParallel, boolean upsertStage) {}
