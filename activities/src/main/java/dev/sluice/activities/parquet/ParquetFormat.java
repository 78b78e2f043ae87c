package dev.sluice.activities.parquet;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.pipeline.LakeTable;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.DeferralRequest;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.WindowMessages.WindowCommit;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A folder of Parquet files with Sluice's state beside it under {@code _sluice/}: the watermark
 * ({@link WatermarkStore}), the windows' range records ({@link WindowLedger}), the schema ({@link
 * TableSchema}); a publish moves the staged files in ({@link TablePublisher}). The order of the
 * steps and crash recovery: {@link ParquetSinkActivitiesImpl}.
 */
final class ParquetFormat implements TableFormat {
  private final HadoopFiles files;
  private final TablePublisher publisher;
  private final TableSchema tableSchema;
  private final WatermarkStore watermarks;
  private final DeferredTable deferredTable;
  private final WindowLedger ledger;

  ParquetFormat(HadoopFiles files, Clock clock) {
    this.files = files;
    this.publisher = new TablePublisher(files);
    this.tableSchema = new TableSchema(files);
    this.watermarks = new WatermarkStore(files, clock);
    this.deferredTable = new DeferredTable(files, publisher);
    this.ledger = new WindowLedger(files, clock);
  }

  @Override
  public StagingLayout staging(LakeTable table) {
    return StagingLayout.PLAIN;
  }

  /** {@inheritDoc} Reads {@code <table>/_sluice/watermark.json}. */
  @Override
  public Optional<String> watermark(LakeTable table) {
    return watermarks.read(table).map(WatermarkStore.Watermark::value);
  }

  @Override
  public Optional<WindowRange> range(LakeTable table, String windowKey) {
    return ledger.range(table, windowKey);
  }

  @Override
  public Optional<WindowRange> first(LakeTable table, String column) {
    return ledger.first(table, column);
  }

  @Override
  public boolean hasFilesOf(LakeTable table, String windowKey) {
    return ledger.hasFilesOf(table, windowKey);
  }

  /**
   * {@inheritDoc} The schema is admitted first (nothing moves when it disagrees), then the files
   * move in, the deferred tables are replaced, the watermark is stored, and the window's record is
   * written last: it is the window's commit marker.
   */
  @Override
  public PublishResult publish(PublishRequest request) {
    boolean snapshot = snapshot(request.sink().mode());
    String table = trimSlash(request.sink().path());
    // Read before anything moves: it lists the deferred and expired files to publish.
    Optional<DeferralManifest> deferred =
        request.defer() == null ? Optional.empty() : deferredTable.staged(request);
    // First: a run whose columns disagree with the table's must not move a file.
    tableSchema.admit(
        request.sink(), request.stagingUri(), request.runKey(), request.files(), snapshot);
    TablePublisher.Published published =
        publisher.publish(table, request.stagingUri(), request.runKey(), request.files(), snapshot);
    deferred.ifPresent(manifest -> deferredTable.publish(request, manifest));
    if (request.newWatermark() != null) {
      watermarks.write(
          request.sink(), request.watermarkColumn(), request.newWatermark(), request.runKey());
    }
    WindowCommit commit = request.commit();
    if (commit != null) {
      ledger.record(
          request.sink(),
          commit.windowKey(),
          new WindowRange(
              commit.window(),
              commit.column(),
              commit.from(),
              commit.to(),
              request.rows(),
              request.files().size(),
              commit.holder().workflowId(),
              commit.runId(),
              ledger.now()));
    }
    return new PublishResult(table, published.uris(), published.bytes());
  }

  /** {@inheritDoc} The run's files are in the table under their staged names. */
  @Override
  public PublishResult published(PublishRequest request) {
    String table = trimSlash(request.sink().path());
    List<String> uris = new ArrayList<>();
    long bytes = 0;
    for (String name : request.files()) {
      uris.add(table + "/" + name);
      bytes += files.length(table + "/" + name);
    }
    return new PublishResult(table, uris, bytes);
  }

  @Override
  public DeferralPlacement deferral(DeferralRequest request) {
    return deferredTable.placement(request);
  }

  @Override
  public void cleanUp(PublishRequest request) {
    if (request.defer() != null) {
      deferredTable.cleanUp(request);
    } else {
      files.delete(request.stagingUri());
    }
  }

  @Override
  public boolean discard(LakeTable table, String stagingUri) {
    return files.delete(stagingUri);
  }

  private static boolean snapshot(String mode) {
    if (mode.equals("append") || mode.equals("snapshot")) {
      return mode.equals("snapshot");
    }
    throw ApplicationFailure.newNonRetryableFailure(
        "sink.mode must be append or snapshot, not '" + mode + "'",
        FailureType.INVALID_PIPELINE.type());
  }

  private static String trimSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
