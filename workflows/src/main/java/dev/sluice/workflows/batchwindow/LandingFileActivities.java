package dev.sluice.workflows.batchwindow;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Activities over the files a window collects, wherever they are: any Hadoop {@code FileSystem} URI
 * the worker can open ({@code file:}, {@code hdfs:}, {@code s3a:}…), or {@code http(s):} for
 * reading.
 */
@ActivityInterface
public interface LandingFileActivities {

  /**
   * Reads every file (decompressing gzip), parses it and writes the rows as Parquet files {@code
   * part-<runKey>-<seq>.parquet} into the staging directory, for one publish. A retried attempt
   * starts over and overwrites the same names. A file that no longer exists is skipped and reported
   * as missing; a file whose current version an earlier window of the table loaded ({@link
   * #recordLoaded}) is skipped and reported with that window, so a repeated notification never
   * loads the same rows twice.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code MalformedData} naming the file and line;
   *     {@code SchemaMismatch}; {@code InvalidPipeline} for a file whose format cannot be told from
   *     its name, a window mixing formats, or a scheme no file system serves (all non-retryable);
   *     {@code HttpClientError} / {@code HttpTransient} for http(s) files
   */
  @ActivityMethod
  WindowMessages.StageResult stageWindowFiles(WindowMessages.StageRequest request);

  /**
   * Records, beside the table ({@code <table>/_sluice/loaded/<hash of the URI>.json}), the version
   * of every file the window read, once its rows are published. Idempotent: a retry writes the same
   * records. Files without a version are not recorded (a later notification loads them again).
   */
  @ActivityMethod
  WindowMessages.LoadedResult recordLoaded(WindowMessages.LoadedRequest request);

  /**
   * Deletes the files. Idempotent: a file already gone counts as {@code alreadyDone}.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code InvalidPipeline} (non-retryable) for an
   *     http(s) file, which cannot be deleted
   */
  @ActivityMethod
  WindowMessages.FilesResult deleteFiles(WindowMessages.FilesRequest request);

  /**
   * Moves the files into directory {@code to}, keeping their names and replacing a file of the same
   * name there (a copy, then a delete, across file systems). Idempotent: a file gone from its place
   * but present in {@code to} counts as {@code alreadyDone}.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code InvalidPipeline} (non-retryable) for an
   *     http(s) file
   */
  @ActivityMethod
  WindowMessages.FilesResult moveFiles(WindowMessages.FilesRequest request);
}
