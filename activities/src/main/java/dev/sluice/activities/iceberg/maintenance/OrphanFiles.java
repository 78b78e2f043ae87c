package dev.sluice.activities.iceberg.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.ReachableFileUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Removes the files an aborted run (or an aborted compaction) left under a table's location: a run
 * writes its data files while it extracts and commits them at the end, so a run that is killed or
 * cancelled for good leaves files no snapshot references. A file is an orphan when no snapshot of
 * the table reaches it (data and delete files through the manifests, the manifests and manifest
 * lists themselves, statistics files) and it is older than a safety age: a run still extracting,
 * or a commit in flight, has files no snapshot references <i>yet</i>, so the age must exceed the
 * longest run (three days by default, as Iceberg's own {@code DeleteOrphanFiles}).
 *
 * <p>Only the table's data folder ({@code write.data.path}, by default {@code <location>/data}, where
 * the sink stages a run's files under {@code data/sluice-<run key>}) and its metadata folder are
 * searched; anything else under the location (Sluice's {@code _sluice/} leases) is not Iceberg's
 * and stays. Table metadata files ({@code *.metadata.json}, {@code version-hint.text}) are never
 * touched: Iceberg keeps their history ({@code write.metadata.previous-versions-max}). Locations compare by
 * scheme family, bucket or host, and path, so {@code file:/t}, {@code file:///t} and {@code /t} are
 * one file, as are {@code s3a://b/t} and {@code s3://b/t}.
 *
 * <p>The deferred sets of a sink with {@code defer:} ({@link DeferredFolders}, under {@code
 * _sluice/}) are swept the same way: a set's folder that no snapshot names is a run's that never
 * committed (or whose snapshots expired), and goes once older than the safety age; the set in
 * force, which a kept snapshot names ({@link SnapshotExpiry}), stays, as does the expired set.
 *
 * <p>A run still in progress is never swept, whatever the age of its files: the files under its
 * staging folder {@code data/sluice-<run key>/} (and its deferral's {@code
 * data/sluice-<run key>.deferral-<now>/}) stay while a lease under {@code _sluice/leases/}
 * names its run ({@link RunsInProgress}), or while any file in that folder is younger than the
 * safety age (the run is still writing). A long run whose first files passed the age is thus kept
 * by its newest file.
 */
public final class OrphanFiles {

  /** The end of a deferral's output folder's name, after the run key. */
  private static final String DEFERRAL = "\\.deferral-[0-9]+$";

  /** A file removed (or, for a plan, to be removed). */
  public record Orphan(String location, long size, Instant createdAt) {}

  /**
   * What was found.
   *
   * @param orphans the files removed (or to be removed)
   * @param liveFiles files some snapshot reaches, and table metadata versions
   * @param tooYoung unreferenced files younger than the safety age
   * @param inProgress unreferenced files of runs in progress (held lease, or a young file in their
   *     staging folder), whatever their age
   */
  public record Result(List<Orphan> orphans, int liveFiles, int tooYoung, int inProgress) {
    public long bytes() {
      return orphans.stream().mapToLong(Orphan::size).sum();
    }
  }

  private OrphanFiles() {}

  /** The orphans older than {@code olderThan}, without deleting anything. */
  public static Result plan(Table table, Instant olderThan) {
    return plan(table, olderThan, Set.of());
  }

  /**
   * The orphans older than {@code olderThan}, without deleting anything, keeping the staging
   * folders of the runs in {@code runKeysInProgress} and of runs that wrote a file since {@code
   * olderThan}.
   */
  public static Result plan(Table table, Instant olderThan, Set<String> runKeysInProgress) {
    FileIO io = table.io();
    if (!(io instanceof SupportsPrefixOperations listing)) {
      throw new UnsupportedOperationException(
          "cannot list the files of "
              + table.name()
              + ": its FileIO ("
              + io.getClass().getSimpleName()
              + ") does not list prefixes");
    }
    Set<String> reachable = reachable(table);
    String base = table.location().replaceAll("/+$", "");
    Map<String, String> props = table.properties();
    String data = props.getOrDefault(TableProperties.WRITE_DATA_LOCATION, base + "/data");
    String metadata = props.getOrDefault(TableProperties.WRITE_METADATA_LOCATION, base + "/metadata");
    List<FileInfo> unreferenced = new ArrayList<>();
    int live = 0;
    String state = base + "/_sluice";
    Set<String> namedSets = DeferredFolders.named(table, OrphanFiles::normalize);
    for (String root : List.of(data, metadata, state)) {
      if (!exists(listing, root)) {
        continue;
      }
      for (FileInfo file : listing.listPrefix(root.replaceAll("/+$", "") + "/")) {
        if (root.equals(state)) { // only the deferred sets' folders: leases are no files of ours
          String folder = DeferredFolders.folderOf(normalize(file.location()));
          if (folder != null && namedSets.contains(folder)) {
            live++;
          } else if (folder != null) {
            unreferenced.add(file);
          }
          continue;
        }
        if (reachable.contains(normalize(file.location())) || isTableMetadata(file.location())) {
          live++;
        } else {
          unreferenced.add(file);
        }
      }
    }
    String stagingPrefix = normalize(data).replaceAll("/+$", "") + "/sluice-";
    Set<String> inProgress = new HashSet<>(runKeysInProgress);
    for (FileInfo file : unreferenced) {
      String runKey = runKeyOf(file.location(), stagingPrefix);
      if (runKey != null && file.createdAtMillis() >= olderThan.toEpochMilli()) {
        inProgress.add(runKey); // the run wrote since the safety age: it may still be writing
      }
    }
    List<Orphan> orphans = new ArrayList<>();
    int young = 0;
    int running = 0;
    for (FileInfo file : unreferenced) {
      String runKey = runKeyOf(file.location(), stagingPrefix);
      if (runKey != null && inProgress.contains(runKey)) {
        running++;
      } else if (file.createdAtMillis() >= olderThan.toEpochMilli()) {
        young++;
      } else {
        orphans.add(
            new Orphan(file.location(), file.size(), Instant.ofEpochMilli(file.createdAtMillis())));
      }
    }
    return new Result(orphans, live, young, running);
  }

  /**
   * The run key of a file staged under {@code <data>/sluice-<run key>/}, or of a deferred set's
   * file ({@link DeferredFolders#runKeyOf}), or null.
   */
  static String runKeyOf(String location, String stagingPrefix) {
    String normalized = normalize(location);
    if (!normalized.startsWith(stagingPrefix)) {
      return DeferredFolders.runKeyOf(normalized);
    }
    int slash = normalized.indexOf('/', stagingPrefix.length());
    // A deferral's output folder beside the staging folder: sluice-<run key>.deferral-<now>.
    if (slash < 0) {
      return null;
    }
    return normalized.substring(stagingPrefix.length(), slash).replaceFirst(DEFERRAL, "");
  }

  /** Whether anything was ever written under {@code root} (listing a missing folder fails). */
  private static boolean exists(SupportsPrefixOperations io, String root) {
    try {
      return io.newInputFile(root).exists();
    } catch (RuntimeException e) {
      return true; // an object store has no folders: list and see
    }
  }

  /** Deletes the orphans {@link #plan(Table, Instant)} finds. */
  public static Result remove(Table table, Instant olderThan) {
    return remove(table, olderThan, Set.of());
  }

  /** Deletes the orphans {@link #plan(Table, Instant, Set)} finds. */
  public static Result remove(Table table, Instant olderThan, Set<String> runKeysInProgress) {
    Result plan = plan(table, olderThan, runKeysInProgress);
    for (Orphan orphan : plan.orphans()) {
      table.io().deleteFile(orphan.location());
    }
    return plan;
  }

  /** Every file some snapshot of the table reaches, normalized. */
  public static Set<String> reachable(Table table) {
    Set<String> out = new HashSet<>();
    FileIO io = table.io();
    Map<Integer, PartitionSpec> specs = table.specs();
    ReachableFileUtil.statisticsFilesLocations(table).forEach(l -> out.add(normalize(l)));
    for (Snapshot snapshot : table.snapshots()) {
      if (snapshot.manifestListLocation() != null) {
        out.add(normalize(snapshot.manifestListLocation()));
      }
      for (ManifestFile manifest : snapshot.allManifests(io)) {
        if (!out.add(normalize(manifest.path()))) {
          continue; // shared with a snapshot already seen: its files are in already
        }
        try {
          if (manifest.content() == ManifestContent.DATA) {
            try (CloseableIterable<String> paths = ManifestFiles.readPaths(manifest, io, specs)) {
              paths.forEach(p -> out.add(normalize(p)));
            }
          } else {
            try (ManifestReader<DeleteFile> deletes =
                ManifestFiles.readDeleteManifest(manifest, io, specs)) {
              deletes.forEach(d -> out.add(normalize(d.location())));
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read manifest " + manifest.path(), e);
        }
      }
    }
    return out;
  }

  /** Iceberg's own metadata versions, which this never deletes. */
  private static boolean isTableMetadata(String location) {
    String name = location.substring(location.lastIndexOf('/') + 1);
    return name.endsWith(".metadata.json")
        || name.endsWith(".metadata.json.gz")
        || name.equals("version-hint.text");
  }

  /** One spelling per file: {@code file:/p}, {@code /p} and {@code file:///p} are the same. */
  static String normalize(String location) {
    URI uri = URI.create(location.replace(" ", "%20"));
    String scheme = uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase();
    if (scheme.equals("s3a") || scheme.equals("s3n")) {
      scheme = "s3";
    }
    String authority = uri.getAuthority() == null ? "" : uri.getAuthority();
    String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/{2,}", "/");
    return scheme + "://" + authority + path;
  }
}
