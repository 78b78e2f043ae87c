package dev.sluice.activities.parquet;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.pipeline.LakeTable;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.DeferralRequest;
import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.Messages.DiscardRequest;
import dev.sluice.workflows.activities.Messages.DiscardResult;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.Messages.WatermarkRequest;
import dev.sluice.workflows.activities.Messages.WatermarkResult;
import dev.sluice.workflows.activities.ParquetSinkActivities;
import dev.sluice.workflows.activities.WindowMessages.FirstWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.FirstWindowResult;
import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowResult;
import dev.sluice.workflows.activities.WindowMessages.ReleaseWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.ReleaseWindowResult;
import dev.sluice.workflows.activities.WindowMessages.WindowCommit;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
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
 * <p><b>Publishing.</b> First the run's schema is checked against the table's ({@link TableSchema},
 * versioned in {@code _sluice/schema/}): new columns are added, a column whose type differs in an
 * {@code append} table fails the publish ({@link FailureType#SCHEMA_MISMATCH}) before anything
 * moves. Staged files move into the table directory under their run-derived names ({@code
 * part-<runKey>-<seq>.parquet}, so a re-run overwrites its own files and never collides with
 * another run's); only when all of them are in place are the files they replace deleted: in {@code
 * snapshot} mode every other {@code *.parquet} of the table, in {@code append} mode only files of
 * an earlier publish of the same run. The watermark is stored after the data, the staging directory
 * deleted last, and {@code _sluice/} (watermark, receipts, staging) is never touched. A crash at
 * any point is recovered by publishing again: moved files are recognized (staged copy gone, target
 * present), the rest are moved, the delete pass repeats. Readers never see a table without a
 * complete snapshot, but during the swap (first move to last delete) they may see both. On HDFS and
 * local file systems a rename is an atomic metadata operation and that window lasts milliseconds;
 * object stores (s3a, gs) have no atomic rename, each move is a copy plus a delete ({@link
 * HadoopFiles#moveOverwriting}, which replaces a namesake in one step there too), so the window
 * lasts as long as the copies and a listing in it sees a mix — readers needing isolation there need
 * a table format (Iceberg, Delta). A generation directory behind a pointer file would close the
 * window, but plain Parquet readers globbing the table directory (DuckDB, Spark) do not follow
 * pointers.
 *
 * <p><b>Deferral.</b> {@link #applyDeferral} ({@link Deferral}) splits the staged rows under the
 * run's staging; a publish with {@code defer} then, after the table's files and before the
 * watermark, replaces the deferred table and appends to the expired one ({@link DeferredTable}),
 * and deletes the whole run staging last. Crash recovery is the same: publish again.
 *
 * <p><b>Failures.</b> What a retry cannot fix fails non-retryable: an unsupported path scheme or
 * mode, an invalid sink or deferral rule ({@link FailureType#INVALID_PIPELINE}), a deferred row
 * that no longer fits the table ({@link FailureType#SCHEMA_MISMATCH}), a staged file gone ({@link
 * StagedFileMissingException#FAILURE_TYPE}). File system errors stay retryable and name the path.
 */
public final class ParquetSinkActivitiesImpl implements ParquetSinkActivities {
  private final TableFormats formats;
  private final Deferral deferral;
  private final WindowLedger ledger;
  private final WindowLedger.RunLiveness liveness;

  /**
   * Parquet tables only.
   *
   * @param files the worker's file systems
   */
  public ParquetSinkActivitiesImpl(HadoopFiles files) {
    this(files, TableFormats.parquet(files, Clock.systemUTC()));
  }

  /**
   * @param files the worker's file systems
   * @param formats the table formats of the worker (which one serves a table: by its type)
   */
  public ParquetSinkActivitiesImpl(HadoopFiles files, TableFormats formats) {
    this(files, Clock.systemUTC(), RunLivenessFromTemporal.INSTANCE, formats);
  }

  /** With the clock and the liveness of lease holders given (tests). */
  ParquetSinkActivitiesImpl(HadoopFiles files, Clock clock, WindowLedger.RunLiveness liveness) {
    this(files, clock, liveness, TableFormats.parquet(files, clock));
  }

  private ParquetSinkActivitiesImpl(
      HadoopFiles files, Clock clock, WindowLedger.RunLiveness liveness, TableFormats formats) {
    this.formats = formats;
    this.deferral = new Deferral(files);
    this.ledger = new WindowLedger(files, clock);
    this.liveness = liveness;
  }

  /**
   * {@inheritDoc} Claims the window's lease first, so the range read after it cannot change under
   * the run; a new incremental window then claims the head, and reports it busy (claiming nothing)
   * when another running new window holds it.
   */
  @Override
  public OpenWindowResult openWindow(OpenWindowRequest request) {
    return failingTyped(
        () -> {
          LakeTable table = request.table();
          WindowLedger.Claim window =
              ledger.claim(
                  table, request.windowKey(), request.holder(), request.window(), liveness);
          if (!window.held()) {
            throw WindowLedger.busy(request.window(), "this run", window.holder());
          }
          TableFormat format = formats.of(table);
          Optional<WindowRange> committed = format.range(table, request.windowKey());
          String watermark = format.watermark(table).orElse(null);
          if (committed.isPresent() || request.watermarkColumn() == null) {
            return new OpenWindowResult(committed.orElse(null), watermark, false, null);
          }
          if (format.hasFilesOf(table, request.windowKey())) {
            ledger.release(table, request.windowKey(), request.holder());
            throw withoutRange(request);
          }
          WindowLedger.Claim head =
              ledger.claimHead(
                  table, request.windowKey(), request.holder(), request.window(), liveness);
          if (!head.held()) {
            // Nothing held while waiting: the other run may need this window's lease itself.
            ledger.release(table, request.windowKey(), request.holder());
            return new OpenWindowResult(null, watermark, false, head.holder().describe());
          }
          // Read again under the head: the run that held it may have moved the watermark.
          watermark = format.watermark(table).orElse(null);
          return new OpenWindowResult(null, watermark, true, null);
        });
  }

  /** {@inheritDoc} */
  @Override
  public FirstWindowResult firstWindow(FirstWindowRequest request) {
    return failingTyped(
        () ->
            new FirstWindowResult(
                formats.of(request.table()).first(request.table(), request.column()).orElse(null)));
  }

  /** {@inheritDoc} */
  @Override
  public ReleaseWindowResult releaseWindow(ReleaseWindowRequest request) {
    return failingTyped(
        () ->
            new ReleaseWindowResult(
                release(request.table(), request.windowKey(), request.holder())));
  }

  private int release(LakeTable table, String windowKey, Holder holder) {
    int released = 0;
    if (ledger.release(table, WindowLedger.HEAD, holder)) {
      released++;
    }
    if (ledger.release(table, windowKey, holder)) {
      released++;
    }
    ledger.stopWaiting(table, windowKey, holder);
    return released;
  }

  private static ApplicationFailure withoutRange(OpenWindowRequest request) {
    return ApplicationFailure.newNonRetryableFailure(
        "window "
            + request.window()
            + " of "
            + request.table().path()
            + " was published by an earlier version of Sluice, which recorded no watermark range"
            + " for it, so a re-run cannot know which rows it owns and could lose or duplicate"
            + " some; nothing was changed. To keep the table as it is, run new windows only. To"
            + " read that window again, delete its files (part-"
            + request.windowKey()
            + "-*.parquet) and set the watermark back to where that window started with `sluice"
            + " state reset FILE --to VALUE`"
            + " (docs/how-to/incremental-runs.md#resetting-the-watermark)",
        FailureType.WINDOW_WITHOUT_RANGE.type());
  }

  /** {@inheritDoc} Where the table's format keeps it ({@link TableFormat#watermark}). */
  @Override
  public WatermarkResult readWatermark(WatermarkRequest request) {
    return failingTyped(
        () ->
            new WatermarkResult(formats.of(request.sink()).watermark(request.sink()).orElse(null)));
  }

  /**
   * {@inheritDoc} The table's format commits ({@link TableFormat#publish}); the window's leases are
   * released after, and the staging cleaned up last. See the class documentation for crash
   * recovery.
   */
  @Override
  public PublishResult publish(PublishRequest request) {
    WindowCommit commit = request.commit();
    return failingTyped(
        () -> {
          TableFormat format = formats.of(request.sink());
          if (commit != null) {
            Optional<PublishResult> done = committedAlready(request, format);
            if (done.isPresent()) {
              return done.get();
            }
          }
          PublishResult result = format.publish(request);
          if (commit != null) {
            release(request.sink(), commit.windowKey(), commit.holder());
          }
          format.cleanUp(request);
          return result;
        });
  }

  /**
   * A publish whose window record already names its run committed before (its answer was lost):
   * only the clean-up is finished. A publish whose run no longer holds the window, and did not
   * commit it, must not touch the table: another run owns the window's files now.
   */
  private Optional<PublishResult> committedAlready(PublishRequest request, TableFormat format) {
    WindowCommit commit = request.commit();
    Optional<WindowRange> recorded = format.range(request.sink(), commit.windowKey());
    if (recorded.isPresent() && commit.runId().equals(recorded.get().runId())) {
      release(request.sink(), commit.windowKey(), commit.holder());
      format.cleanUp(request);
      return Optional.of(format.published(request));
    }
    if (!ledger.holds(request.sink(), commit.windowKey(), commit.holder())) {
      Optional<WindowLedger.Lease> other = ledger.lease(request.sink(), commit.windowKey());
      if (other.isPresent()) {
        throw WindowLedger.busy(commit.window(), "publishing this run", other.get());
      }
      throw ApplicationFailure.newNonRetryableFailure(
          "window "
              + commit.window()
              + " is no longer held by this run ("
              + commit.holder().workflowId()
              + "): its lease was taken over while it was not running, so it must not publish;"
              + " run the window again",
          FailureType.WINDOW_BUSY.type());
    }
    return Optional.empty();
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

  /**
   * {@link #applyDeferral(DeferralRequest)} with the heartbeat given, outside an activity (tests
   * call it directly).
   */
  public DeferralResult applyDeferral(DeferralRequest request, LongConsumer heartbeat) {
    return failingTyped(
        () -> deferral.apply(request, formats.of(request.sink()).deferral(request), heartbeat));
  }

  /** {@inheritDoc} */
  @Override
  public DiscardResult discardStaging(DiscardRequest request) {
    return failingTyped(
        () ->
            new DiscardResult(
                formats.of(request.sink()).discard(request.sink(), request.stagingUri())));
  }

  /** Runs {@code call}, turning failures a retry cannot fix into non-retryable ones. */
  private static <T> T failingTyped(Supplier<T> call) {
    try {
      return call.get();
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof UnsupportedFileSystemException) {
        throw ApplicationFailure.newNonRetryableFailureWithCause(
            e.getMessage(), FailureType.INVALID_PIPELINE.type(), e);
      }
      throw e;
    } catch (StagedFileMissingException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          e.getMessage(), StagedFileMissingException.FAILURE_TYPE, e);
    } catch (InvalidSinkException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          e.getMessage(), FailureType.INVALID_PIPELINE.type(), e);
    } catch (RerunRefusedException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          e.getMessage(), FailureType.WINDOW_WITHOUT_RANGE.type(), e);
    } catch (SchemaMismatchException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          e.getMessage(), FailureType.SCHEMA_MISMATCH.type(), e);
    }
  }
}
