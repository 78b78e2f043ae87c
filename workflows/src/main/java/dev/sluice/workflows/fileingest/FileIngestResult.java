package dev.sluice.workflows.fileingest;

import java.util.List;

/**
 * What one file ingest published.
 *
 * @param uri the source file
 * @param tableUri the dataset's table directory
 * @param files published file URIs
 * @param rows rows published
 * @param bytes bytes of Parquet published
 * @param sourceBytes bytes read from the source (as stored, compressed or not)
 */
public record FileIngestResult(
    String uri, String tableUri, List<String> files, long rows, long bytes, long sourceBytes) {}
