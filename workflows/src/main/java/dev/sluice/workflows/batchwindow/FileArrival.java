package dev.sluice.workflows.batchwindow;

/**
 * A notification that a file arrived, as signalled to a window.
 *
 * @param uri the file's URI, as notified
 */
public record FileArrival(String uri) {}
