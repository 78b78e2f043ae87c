package dev.sluice.activities.http;

import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;

/**
 * The heartbeat of an extraction: everything a retried attempt needs to resume after the last
 * durable Parquet file. No rows and no secrets, only locators, counts, file names and
 * fingerprints.
 *
 * @param next the first page not yet durably written, or null when every page was read
 * @param pages pages read into durable files so far
 * @param writer the staging writer's state at that point, or null before any file was closed
 * @param history what loop detection remembers of the pages read so far (null, from a heartbeat
 *     of an earlier version: nothing)
 */
public record ExtractCheckpoint(
    PageCursor next, int pages, WriterState writer, PageHistory history) {

  public ExtractCheckpoint {
    history = history == null ? PageHistory.EMPTY : history;
  }
}
