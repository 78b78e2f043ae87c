package dev.sluice.workflows.filedownload;

/**
 * What a file download run did.
 *
 * @param landingUri the sink's directory
 * @param listingUri the run's staging list (kept, as the record of what the source offered)
 * @param listed files listed
 * @param downloaded files landed by this run
 * @param skipped files already landed with the same size and modification time
 * @param bytes bytes landed by this run
 * @param executions workflow executions the run took (more than one after continue-as-new)
 */
public record FileDownloadResult(
    String landingUri,
    String listingUri,
    long listed,
    long downloaded,
    long skipped,
    long bytes,
    int executions) {}
