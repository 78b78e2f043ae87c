package dev.sluice.workflows.asyncingest;

import dev.sluice.workflows.activities.Messages.ExtractResult;

/**
 * What one part of a split window staged (not published).
 *
 * @param requestId the part's provider job
 * @param extracted what the extract staged; its file names are relative to the parent's staging
 *     (they start with the part's directory)
 * @param polls status checks made
 * @param cleanupWarning why the part's provider job could not be deleted, or null
 */
public record SplitJobResult(
    String requestId, ExtractResult extracted, int polls, String cleanupWarning) {}
