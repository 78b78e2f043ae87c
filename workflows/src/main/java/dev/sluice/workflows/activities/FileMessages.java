package dev.sluice.workflows.activities;

import dev.sluice.pipeline.LakeTable;
import java.util.List;

/** Records in and out of {@link SourceFileActivities}: URIs and counts, never rows. */
public final class FileMessages {
  private FileMessages() {}

  /**
   * @param uri the source file ({@code http(s)://…}, {@code file:///…}, {@code hdfs://…}, {@code
   *     s3a://…}); a {@code .gz} name is gunzipped
   * @param format {@code csv} (with a header line), {@code json} (an array of objects) or {@code
   *     ndjson}
   * @param runKey file-system-safe key of the request; staged file names derive from it
   * @param table the dataset's table (schema inference, compression, file size)
   * @param stagingUri the directory the Parquet files are written to
   */
  public record StageFileRequest(
      String uri, String format, String runKey, LakeTable table, String stagingUri) {}

  /**
   * @param rows rows staged
   * @param bytes bytes of Parquet staged
   * @param files staged file names (not paths), in order
   * @param sourceBytes bytes read from the source (compressed, as stored)
   */
  public record StageFileResult(long rows, long bytes, List<String> files, long sourceBytes) {}
}
