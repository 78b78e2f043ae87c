package dev.sluice.workflows.batchwindow;

import java.util.List;

/**
 * The running window, as {@link BatchWindowWorkflow#window()} shows it.
 *
 * @param route the route's name
 * @param windowId the window's ID, or null before its first file
 * @param stage {@code WAITING} (no file yet), {@code OPEN} (collecting), {@code LOADING}, {@code
 *     ACTING} (running deferred actions), {@code JOURNALING}
 * @param openedAt when it opened (ISO-8601), or null
 * @param closesAt when it stops collecting at the latest (ISO-8601), or null
 * @param files its files so far
 * @param next files already waiting for the next window
 */
public record WindowView(
    String route,
    String windowId,
    String stage,
    String openedAt,
    String closesAt,
    List<String> files,
    List<String> next) {}
