package dev.sluice.activities.iceberg;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.parquet.DeferralManifest;
import dev.sluice.activities.parquet.DeferralNames;
import dev.sluice.activities.parquet.DeferralPlacement;
import dev.sluice.activities.parquet.StagedFileMissingException;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.DeferralRequest;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.iceberg.Table;

/**
 * Deferral ({@code defer:}) with an {@code iceberg} sink, exactly once through the Iceberg commit.
 *
 * <p><b>The deferred set</b> stays plain Parquet (its rows keep their own schemas and {@code
 * DEFERRED_AT}; it is Sluice's state, not a table users query), in an immutable folder per run:
 * {@code <state dir>/deferred/<runKey>-<now>/} ({@link #root}: {@code <location>/_sluice/deferred},
 * a work unit's under {@code _sluice/units/<column>=<value>/deferred}), each row under its
 * partition's directory. The run's snapshot names that folder in its summary ({@link
 * SnapshotLog.Key#DEFERRED}); the set in force is the folder the newest snapshot (of the unit)
 * naming one names. The commit is the only switch: nothing is replaced, nothing half-published. A
 * run that crashes before its commit leaves a folder no snapshot names, which the orphan sweep
 * removes; a commit whose answer was lost is found by its token, as any commit.
 *
 * <p><b>Rows to publish</b> (complete rows, and released ones: deferred earlier, complete now) are
 * Iceberg data files: written with the table's field IDs in its partition layout under {@code
 * data/[<unit>/]sluice-<runKey>.deferral-<now>/}, a folder of the Temporal run (its "now") beside
 * the run's staging (which a re-run's staging writer clears of what it does not know), so a re-run
 * of the window never writes over or deletes files an earlier run committed. Released rows go to
 * {@code released/} below it: they are not the window's own rows, so a re-run of the window keeps
 * them ({@link #isReleased}, honoured by {@link IcebergCommitter}).
 *
 * <p><b>Expired rows</b> are staged in the run's folder ({@code <version>/_expired/}) and, once the
 * commit is made, moved into the cumulative {@code <root>/_expired/} (the same place as a parquet
 * sink's, {@code DeferralSpec#expiredPath}), named by the run: by the publish's clean-up, or else
 * by the next run, which first finishes the move for the set in force.
 */
final class IcebergDeferral {
  static final String EXPIRED = "_expired";

  /** What follows the run's staging folder's name in its deferral's output folder's. */
  static final String SUFFIX = ".deferral-";
  private static final String RELEASED = "released";
  private static final Pattern RELEASED_FILE =
      Pattern.compile(".*/sluice-[^/]+" + Pattern.quote(SUFFIX) + "[0-9]+/" + RELEASED + "/.*");

  private final IcebergCatalogs catalogs;
  private final HadoopFiles files;

  IcebergDeferral(IcebergCatalogs catalogs, HadoopFiles files) {
    this.catalogs = catalogs;
    this.files = files;
  }

  /** Where {@code sink}'s deferred sets live (a work unit's own when it is a unit's). */
  static String root(IcebergSink sink) {
    return sink.stateDir() + "/deferred";
  }

  /** Whether a data file holds rows a run released from the deferred set. */
  static boolean isReleased(String location) {
    return RELEASED_FILE.matcher(location).matches();
  }

  /** Where {@code request}'s run splits its rows. See the class documentation. */
  DeferralPlacement placement(DeferralRequest request) {
    IcebergSink sink = (IcebergSink) request.sink();
    Optional<Table> table = catalogs.load(sink);
    String current =
        table.flatMap(t -> SnapshotLog.deferredSet(t, sink.unitValue())).orElse(null);
    if (current != null) {
      moveExpired(sink, current); // its commit's clean-up may not have run
    }
    List<DeferralPlacement.SetFile> set = current == null ? List.of() : list(current);
    String staging = trimSlash(request.stagingUri());
    String output = staging + SUFFIX + request.nowMillis();
    String version = root(sink) + "/" + DeferralNames.version(request.runKey(), request.nowMillis());
    return new DeferralPlacement(
        set,
        current,
        output,
        RELEASED,
        version,
        version + "/" + EXPIRED,
        data -> ParquetFieldIds.apply(data, catalogs.load(sink).orElseThrow().schema()));
  }

  /**
   * What {@code request}'s commit records of its deferral: the folder of its new deferred set and
   * its rows. Asked only when the run has not committed yet.
   *
   * @throws StagedFileMissingException when the run's deferral manifest is missing
   * @throws ApplicationFailure (not retryable) when another run replaced the deferred set since
   *     this run read it: committing would lose or repeat rows; nothing is committed
   */
  Map<String, String> summary(Table table, PublishRequest request) {
    IcebergSink sink = (IcebergSink) request.sink();
    DeferralManifest manifest = manifest(request);
    String current = SnapshotLog.deferredSet(table, sink.unitValue()).orElse(null);
    if (!Objects.equals(current, manifest.from())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the deferred rows of "
              + sink.table()
              + " changed since this run split its rows (another run committed "
              + current
              + "); nothing was committed, run the window again",
          FailureType.WINDOW_BUSY.type());
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put(SnapshotLog.Key.DEFERRED.key(), root(sink) + "/" + manifest.expiredRun());
    out.put(SnapshotLog.Key.DEFERRED_ROWS.key(), Long.toString(manifest.deferredRows()));
    return out;
  }

  /**
   * After the commit: moves the run's expired rows into the expired set, then deletes the run's
   * manifest. Idempotent.
   */
  void cleanUp(PublishRequest request) {
    IcebergSink sink = (IcebergSink) request.sink();
    Optional<DeferralManifest> manifest = DeferralManifest.read(files, request.stagingUri());
    if (manifest.isPresent()) {
      moveExpired(sink, root(sink) + "/" + manifest.get().expiredRun());
      files.delete(DeferralManifest.uri(request.stagingUri()));
    }
  }

  private DeferralManifest manifest(PublishRequest request) {
    return DeferralManifest.read(files, request.stagingUri())
        .orElseThrow(
            () ->
                new StagedFileMissingException(
                    "cannot publish with defer: "
                        + DeferralManifest.uri(request.stagingUri())
                        + " is missing; the deferral rule was not applied to this staging,"
                        + " extract again"));
  }

  /** Moves the expired rows staged in the committed set {@code folder} to the expired set. */
  private void moveExpired(IcebergSink sink, String folder) {
    FileSystem fs = files.fs(folder);
    Path staged = new Path(folder, EXPIRED);
    Path target = new Path(root(sink), EXPIRED);
    try {
      if (!fs.exists(staged)) {
        return;
      }
      fs.mkdirs(target);
      for (var status : fs.listStatus(staged)) {
        files.moveOverwriting(fs, status.getPath(), new Path(target, status.getPath().getName()));
      }
      fs.delete(staged, true);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot move expired rows from " + staged + ": " + e.getMessage(), e);
    }
  }

  /** The data files of the set {@code folder}, each with its partition directory. */
  private List<DeferralPlacement.SetFile> list(String folder) {
    FileSystem fs = files.fs(folder);
    Path dir = new Path(folder);
    String base = dir.toUri().getPath();
    List<DeferralPlacement.SetFile> out = new ArrayList<>();
    try {
      if (!fs.exists(dir)) {
        return out; // a set without rows has no folder
      }
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
      while (it.hasNext()) {
        Path path = it.next().getPath();
        String relative = path.toUri().getPath().substring(base.length() + 1);
        if (!relative.endsWith(".parquet") || hidden(relative)) {
          continue;
        }
        int slash = relative.lastIndexOf('/');
        out.add(
            new DeferralPlacement.SetFile(
                path.toString(), slash < 0 ? "" : relative.substring(0, slash)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparing(DeferralPlacement.SetFile::uri));
    return out;
  }

  private static boolean hidden(String relative) {
    for (String part : relative.split("/")) {
      if (part.startsWith("_") || part.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static String trimSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
