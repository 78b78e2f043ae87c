package dev.sluice.activities.parquet;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.workflows.activities.FailureTypes;
import dev.sluice.workflows.activities.Messages.DeferralRequest;
import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.Messages.DiscardRequest;
import dev.sluice.workflows.activities.Messages.DiscardResult;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.Messages.WatermarkRequest;
import dev.sluice.workflows.activities.Messages.WatermarkResult;
import dev.sluice.workflows.activities.ParquetSinkActivities;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

/**
 * {@link ParquetSinkActivities} over Hadoop's {@code FileSystem} API.
 *
 * <p><b>Publishing.</b> Staged files move into the table directory under their run-derived names
 * ({@code part-<runKey>-<seq>.parquet}, so a re-run overwrites its own files and never collides
 * with another run's); only when all of them are in place are the files they replace deleted: in
 * {@code snapshot} mode every other {@code *.parquet} of the table, in {@code append} mode only
 * files of an earlier publish of the same run. The watermark is stored after the data, the staging
 * directory deleted last, and {@code _sluice/} (watermark, receipts, staging) is never touched. A
 * crash at any point is recovered by publishing again: moved files are recognized (staged copy
 * gone, target present), the rest are moved, the delete pass repeats. Readers never see a table
 * without a complete snapshot, but during the swap (first move to last delete) they may see both.
 * On HDFS and local file systems a rename is an atomic metadata operation and that window lasts
 * milliseconds; object stores (s3a, gs) have no atomic rename, each move is a copy plus a delete
 * ({@link HadoopFiles#moveOverwriting}, which replaces a namesake in one step there too), so the
 * window lasts as long as the copies and a listing in it sees a mix — readers needing isolation
 * there need a table format (Iceberg, Delta). A generation directory behind a pointer file would
 * close the window, but plain Parquet readers globbing the table directory (DuckDB, Spark) do not
 * follow pointers.
 *
 * <p><b>Deferral.</b> {@link #applyDeferral} ({@link Deferral}) splits the staged rows under the
 * run's staging; a publish with {@code defer} then, after the table's files and before the
 * watermark, replaces the deferred table and appends to the expired one ({@link DeferredTable}),
 * and deletes the whole run staging last. Crash recovery is the same: publish again.
 *
 * <p><b>Failures.</b> What a retry cannot fix fails non-retryable: an unsupported path scheme or
 * mode, an invalid sink or deferral rule ({@link FailureTypes#INVALID_PIPELINE}), a deferred row
 * that no longer fits the table ({@link FailureTypes#SCHEMA_MISMATCH}), a staged file gone ({@link
 * StagedFileMissingException#FAILURE_TYPE}). File system errors stay retryable and name the path.
 */
public final class ParquetSinkActivitiesImpl implements ParquetSinkActivities {
  private final HadoopFiles files;
  private final TablePublisher publisher;
  private final WatermarkStore watermarks;
  private final Deferral deferral;
  private final DeferredTable deferredTable;

  /**
   * @param files the worker's file systems
   */
  public ParquetSinkActivitiesImpl(HadoopFiles files) {
    this.files = files;
    this.publisher = new TablePublisher(files);
    this.watermarks = new WatermarkStore(files, Clock.systemUTC());
    this.deferral = new Deferral(files);
    this.deferredTable = new DeferredTable(files, publisher);
  }

  /** {@inheritDoc} Reads {@code <table>/_sluice/watermark.json}. */
  @Override
  public WatermarkResult readWatermark(WatermarkRequest request) {
    return failingTyped(
        () ->
            new WatermarkResult(
                watermarks.read(request.sink()).map(WatermarkStore.Watermark::value).orElse(null)));
  }

  /** {@inheritDoc} See the class documentation for the order of steps and crash recovery. */
  @Override
  public PublishResult publish(PublishRequest request) {
    boolean snapshot = snapshot(request.sink().mode());
    String table = trimSlash(request.sink().path());
    return failingTyped(
        () -> {
          // Read before anything moves: it lists the deferred and expired files to publish.
          Optional<DeferralManifest> deferred =
              request.defer() == null ? Optional.empty() : deferredTable.staged(request);
          TablePublisher.Published published =
              publisher.publish(
                  table, request.stagingUri(), request.runKey(), request.files(), snapshot);
          deferred.ifPresent(manifest -> deferredTable.publish(request, manifest));
          if (request.newWatermark() != null) {
            watermarks.write(
                request.sink(),
                request.watermarkColumn(),
                request.newWatermark(),
                request.runKey());
          }
          if (request.defer() != null) {
            deferredTable.cleanUp(request);
          } else {
            files.delete(request.stagingUri());
          }
          return new PublishResult(table, published.uris(), published.bytes());
        });
  }

  /**
   * {@inheritDoc} See {@link Deferral} for the passes, the files and the memory they need. It
   * heartbeats the rows processed so far every few thousand rows (progress only: a retry starts
   * over, it does not resume).
   */
  @Override
  public DeferralResult applyDeferral(DeferralRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    return applyDeferral(request, context::heartbeat);
  }

  /** {@link #applyDeferral(DeferralRequest)} with the heartbeat given (tests call it directly). */
  DeferralResult applyDeferral(DeferralRequest request, LongConsumer heartbeat) {
    return failingTyped(() -> deferral.apply(request, heartbeat));
  }

  /** {@inheritDoc} */
  @Override
  public DiscardResult discardStaging(DiscardRequest request) {
    return failingTyped(() -> new DiscardResult(files.delete(request.stagingUri())));
  }

  private static boolean snapshot(String mode) {
    return switch (mode) {
      case "append" -> false;
      case "snapshot" -> true;
      default ->
          throw ApplicationFailure.newNonRetryableFailure(
              "sink.mode must be append or snapshot, not '" + mode + "'",
              FailureTypes.INVALID_PIPELINE);
    };
  }

  /** Runs {@code call}, turning failures a retry cannot fix into non-retryable ones. */
  private static <T> T failingTyped(Supplier<T> call) {
    try {
      return call.get();
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof UnsupportedFileSystemException) {
        throw ApplicationFailure.newNonRetryableFailureWithCause(
            e.getMessage(), FailureTypes.INVALID_PIPELINE, e);
      }
      throw e;
    } catch (StagedFileMissingException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          e.getMessage(), StagedFileMissingException.FAILURE_TYPE, e);
    } catch (InvalidSinkException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          e.getMessage(), FailureTypes.INVALID_PIPELINE, e);
    } catch (SchemaMismatchException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          e.getMessage(), FailureTypes.SCHEMA_MISMATCH, e);
    }
  }

  private static String trimSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
