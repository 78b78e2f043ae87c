package dev.sluice.activities.parquet;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.pipeline.DeferralSpec;
import dev.sluice.workflows.activities.Messages.DeferralRequest;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The publish half of deferral: replaces the deferred table ({@code defer.path}, by default {@code
 * <sink>/_sluice/deferred}, which table readers skip for its underscore) with the run's new
 * deferred set, and appends the run's expired rows to {@code <deferred table>/_expired}. Both go
 * through {@link TablePublisher}, the way table data does: the deferred table as a snapshot (new
 * files moved in first, the previous set deleted after), expired files appended under names from
 * the run, so every step can be repeated after a crash. An explicit {@code defer.path} is a table
 * of its own: every {@code *.parquet} directly in it is replaced.
 *
 * <p>Crash safety rests on {@link DeferralManifest}: it lists what to move, and it is deleted
 * before the rest of the run's staging, so a publish retried after it is gone knows the deferral
 * was published.
 */
final class DeferredTable {
  /** Where a run's new deferred set and expired rows are staged, under its deferral staging. */
  static final String DEFERRED = "deferred";

  static final String EXPIRED = "expired";

  private final HadoopFiles files;
  private final TablePublisher publisher;

  DeferredTable(HadoopFiles files, TablePublisher publisher) {
    this.files = files;
    this.publisher = publisher;
  }

  /**
   * Where {@code request}'s run splits its rows: everything under its deferral staging ({@link
   * Deferral#directoryOf}), the deferred set in force being every data file directly in the
   * deferred table.
   *
   * @throws InvalidSinkException when {@code defer.path} is on another file system than the sink
   */
  DeferralPlacement placement(DeferralRequest request) {
    DeferralSpec rule = request.defer();
    String table = trimSlash(rule.tablePath(request.sink().path()));
    if (rule.path() != null) {
      requireSameFileSystem(request.stagingUri(), table);
    }
    String dir = Deferral.directoryOf(request.stagingUri());
    List<DeferralPlacement.SetFile> current =
        dataFiles(table).stream().map(uri -> new DeferralPlacement.SetFile(uri, "")).toList();
    // Released rows' files have names of their own (DeferralNames), beside the others.
    return new DeferralPlacement(
        current, null, dir, "", dir + "/" + DEFERRED, dir + "/" + EXPIRED, schema -> schema);
  }

  /**
   * What the run's deferral staged, read before anything moves; empty when an earlier attempt of
   * this publish got as far as its clean-up.
   *
   * @throws StagedFileMissingException when there is no manifest but files to publish are still
   *     staged: {@code applyDeferral} did not run on this staging
   */
  Optional<DeferralManifest> staged(PublishRequest request) {
    String dir = Deferral.directoryOf(request.stagingUri());
    Optional<DeferralManifest> manifest = DeferralManifest.read(files, dir);
    if (manifest.isEmpty()) {
      FileSystem fs = files.fs(dir);
      for (String name : request.files()) {
        if (exists(fs, new Path(request.stagingUri(), name))) {
          throw new StagedFileMissingException(
              "cannot publish with defer: "
                  + DeferralManifest.uri(dir)
                  + " is missing while "
                  + name
                  + " is still staged; the deferral rule was not applied to this staging, extract"
                  + " again");
        }
      }
    }
    return manifest;
  }

  /**
   * Moves the staged deferred set over the deferred table and the staged expired rows into the
   * expired table. Repeatable.
   *
   * @throws StagedFileMissingException when a listed file is neither staged nor published
   * @throws UncheckedIOException naming the path, when the file system fails
   */
  void publish(PublishRequest request, DeferralManifest manifest) {
    DeferralSpec rule = request.defer();
    String sinkPath = request.sink().path();
    String dir = Deferral.directoryOf(request.stagingUri());
    publisher.publish(
        trimSlash(rule.tablePath(sinkPath)),
        dir + "/" + DEFERRED,
        request.runKey(),
        manifest.deferred(),
        true);
    if (!manifest.expired().isEmpty()) {
      publisher.publish(
          trimSlash(rule.expiredPath(sinkPath)),
          dir + "/" + EXPIRED,
          manifest.expiredRun(),
          manifest.expired(),
          false);
    }
  }

  /**
   * Deletes the manifest, then the whole run staging (the extracted files and the deferral
   * staging). Idempotent.
   */
  void cleanUp(PublishRequest request) {
    String dir = Deferral.directoryOf(request.stagingUri());
    files.delete(DeferralManifest.uri(dir));
    files.delete(new Path(dir).getParent().toString());
  }

  private void requireSameFileSystem(String stagingUri, String table) {
    FileSystem staging = files.fs(stagingUri);
    FileSystem deferred = files.fs(table);
    if (!staging.getUri().equals(deferred.getUri())) {
      throw new InvalidSinkException(
          "defer.path: "
              + table
              + " is not on the sink's file system ("
              + staging.getUri()
              + "); deferred rows move into it from the sink's staging, and a move cannot"
              + " cross file systems");
    }
  }

  /** Data files of the published deferred table, by name; none when it does not exist. */
  private List<String> dataFiles(String table) {
    FileSystem fs = files.fs(table);
    Path dirPath = new Path(table);
    try {
      if (!fs.exists(dirPath)) {
        return List.of();
      }
      return Arrays.stream(fs.listStatus(dirPath))
          .filter(FileStatus::isFile)
          .map(s -> s.getPath().getName())
          .filter(PartFiles::isData)
          .sorted()
          .map(n -> table + "/" + n)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + table + ": " + e.getMessage(), e);
    }
  }

  private static boolean exists(FileSystem fs, Path path) {
    try {
      return fs.exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + path + ": " + e.getMessage(), e);
    }
  }

  private static String trimSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
