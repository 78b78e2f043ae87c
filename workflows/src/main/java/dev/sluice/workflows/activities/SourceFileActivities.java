package dev.sluice.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Activities over one source file at a URI: {@code http(s)://} or any Hadoop {@code FileSystem}
 * scheme the worker has ({@code file://}, {@code hdfs://}, {@code s3a://}…).
 */
@ActivityInterface
public interface SourceFileActivities {

  /**
   * Streams the file (gunzipped when its name ends in {@code .gz}), parses it as its format says
   * and writes it as Parquet files {@code part-<runKey>-<seq>.parquet} into {@code stagingUri},
   * replacing whatever an earlier attempt left there; nothing is visible to the table's readers
   * until {@code ParquetSinkActivities.publish}. Heartbeats the rows read so far at least every 10
   * seconds while records flow; a retried attempt starts the file over (no row is staged twice).
   *
   * @throws io.temporal.failure.ApplicationFailure non-retryable: {@code SourceFileNotFound} when
   *     the file does not exist or its host does not resolve; {@code HttpClientError} for another
   *     HTTP 4xx; {@code MalformedData} naming the URI and line; {@code SchemaMismatch}; {@code
   *     InvalidPipeline} for an unknown format or a scheme the worker has no file system for.
   *     Retryable: {@code HttpTransient} for 5xx, 408, 429 and I/O errors (a connection refused or
   *     dropped mid-file), and any other file-system error
   */
  @ActivityMethod
  FileMessages.StageFileResult stageSourceFile(FileMessages.StageFileRequest request);
}
