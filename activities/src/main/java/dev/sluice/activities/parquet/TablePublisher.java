package dev.sluice.activities.parquet;

import dev.sluice.activities.fs.HadoopFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Moves a run's staged files into the table directory, then deletes the data files the publish
 * replaces. Every step can be repeated: a file already moved is not moved again, a file already
 * deleted is not missed.
 */
final class TablePublisher {
  private final HadoopFiles files;

  TablePublisher(HadoopFiles files) {
    this.files = files;
  }

  /** The outcome: published file URIs and their total length. */
  record Published(List<String> uris, long bytes) {}

  /**
   * Publishes {@code names} from {@code stagingUri} into {@code tableUri} under the same names.
   *
   * @param replaceAll true (snapshot): afterwards the table holds only these files; false (append):
   *     other files stay, except those of an earlier publish of the same run that are not in {@code
   *     names}
   * @throws StagedFileMissingException when a file is neither staged nor in the table
   * @throws UncheckedIOException naming the path, when the file system fails
   */
  Published publish(
      String tableUri, String stagingUri, String runKey, List<String> names, boolean replaceAll) {
    FileSystem fs = files.fs(tableUri);
    Path table = new Path(tableUri);
    mkdirs(fs, table);
    // A name may sit in a directory of the staging (a part of a split window): the table is flat.
    List<String> landed = names.stream().map(name -> new Path(name).getName()).toList();
    for (int i = 0; i < names.size(); i++) {
      moveIn(files, fs, new Path(stagingUri, names.get(i)), new Path(table, landed.get(i)));
    }
    // Only after every new file is in place: readers never see the table without this run's data.
    Set<String> keep = Set.copyOf(landed);
    for (FileStatus status : list(fs, table)) {
      String name = status.getPath().getName();
      boolean replaced = replaceAll || PartFiles.ofRun(runKey, name);
      if (status.isFile() && PartFiles.isData(name) && replaced && !keep.contains(name)) {
        delete(fs, status.getPath());
      }
    }
    List<String> uris = new ArrayList<>(names.size());
    long bytes = 0;
    for (String name : landed) {
      Path path = new Path(table, name);
      bytes += length(fs, path);
      uris.add(tableUri + "/" + name);
    }
    return new Published(List.copyOf(uris), bytes);
  }

  /** Moves {@code staged} over {@code target}; done already when only the target exists. */
  private static void moveIn(HadoopFiles files, FileSystem fs, Path staged, Path target) {
    try {
      if (!fs.exists(staged)) {
        if (fs.exists(target)) {
          return; // moved by an earlier attempt of this publish
        }
        throw new StagedFileMissingException(staged, target);
      }
      // A re-run's file replaces its predecessor with no moment in which neither is there: one
      // rename on HDFS and local disks, a whole-object replace on object stores.
      files.moveOverwriting(fs, staged, target);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot move " + staged + " to " + target + ": " + e.getMessage(), e);
    }
  }

  private static void mkdirs(FileSystem fs, Path dir) {
    try {
      fs.mkdirs(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  private static FileStatus[] list(FileSystem fs, Path dir) {
    try {
      return fs.listStatus(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void delete(FileSystem fs, Path path) {
    try {
      fs.delete(path, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path + ": " + e.getMessage(), e);
    }
  }

  private static long length(FileSystem fs, Path path) {
    try {
      return fs.getFileStatus(path).getLen();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + path + ": " + e.getMessage(), e);
    }
  }
}
