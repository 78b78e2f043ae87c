package dev.sluice.starter.iceberg;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.s3a.S3AFileSystem;

/**
 * A worker's file system that stops it at an Iceberg commit, so a test can SIGKILL it there: the
 * fault-injection seam of the kill tests, outside Sluice's code. Iceberg's Hadoop catalog commits
 * by renaming a new {@code metadata/<uuid>.metadata.json} to {@code metadata/v<N>.metadata.json};
 * {@link Local} ({@code fs.file.impl}) and {@link S3A} ({@code fs.s3a.impl}) watch that rename for
 * the first metadata that carries a sink run key ({@code sluice.run-key}: the run's own commit, not
 * the table's creation) and, with {@value #PHASE} set in the worker's environment,
 *
 * <ul>
 *   <li>{@code before}: stop before the rename (data files and manifests written, nothing
 *       committed);
 *   <li>{@code after}: rename, then stop (the snapshot committed, its answer never returned: the
 *       lost commit answer, and {@code version-hint.text} still names the previous version).
 * </ul>
 *
 * Stopping means creating the file {@value #MARKER} names and sleeping for good; the test waits for
 * that file, then kills the process with SIGKILL. Installed only in the doomed worker's JVM, through
 * the {@code core-site.xml} of its {@code HADOOP_CONF_DIR} ({@link #coreSite}).
 */
public final class CommitHalt {
  /** Environment variable: {@code before} or {@code after}. */
  public static final String PHASE = "SLUICE_TEST_HALT_COMMIT";

  /** Environment variable: the file created when the worker stops. */
  public static final String MARKER = "SLUICE_TEST_HALT_MARKER";

  private static final Pattern VERSION = Pattern.compile("v\\d+\\.metadata\\.json");
  private static volatile boolean halted;

  private CommitHalt() {}

  /** Renames {@code src} to {@code dst} with {@code rename}, stopping around it when asked. */
  static boolean rename(FileSystem fs, Path src, Path dst, Rename rename) throws IOException {
    String phase = System.getenv(PHASE);
    if (phase == null || halted || !VERSION.matcher(dst.getName()).matches() || !runCommit(fs, src)) {
      return rename.apply(src, dst);
    }
    halted = true;
    if (phase.equals("before")) {
      stop("before renaming " + src + " to " + dst);
    }
    boolean done = rename.apply(src, dst);
    stop("after renaming " + src + " to " + dst + " (" + done + ")");
    return done;
  }

  /** The rename itself, as the superclass does it. */
  interface Rename {
    boolean apply(Path src, Path dst) throws IOException;
  }

  private static boolean runCommit(FileSystem fs, Path metadata) throws IOException {
    try (InputStream in = fs.open(metadata)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("sluice.run-key");
    }
  }

  private static void stop(String where) {
    try {
      Files.writeString(java.nio.file.Path.of(System.getenv(MARKER)), where);
      System.err.println("[CommitHalt] stopped " + where);
      Thread.sleep(Long.MAX_VALUE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The local file system, stopping at a run's commit. */
  public static final class Local extends LocalFileSystem {
    @Override
    public boolean rename(Path src, Path dst) throws IOException {
      return CommitHalt.rename(this, src, dst, super::rename);
    }
  }

  /** S3A, stopping at a run's commit. */
  public static final class S3A extends S3AFileSystem {
    @Override
    public boolean rename(Path src, Path dst) throws IOException {
      return CommitHalt.rename(this, src, dst, super::rename);
    }
  }

  /** Writes {@code dir/core-site.xml} with {@code properties}; returns {@code dir}. */
  public static java.nio.file.Path coreSite(java.nio.file.Path dir, Map<String, String> properties) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
    properties.forEach(
        (k, v) ->
            xml.append("  <property><name>")
                .append(k)
                .append("</name><value>")
                .append(v)
                .append("</value></property>\n"));
    xml.append("</configuration>\n");
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("core-site.xml"), xml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /** The doomed worker's Hadoop settings: {@code base} with the halting file systems in. */
  public static Map<String, String> halting(Map<String, String> base) {
    Map<String, String> out = new LinkedHashMap<>(base);
    out.put("fs.file.impl", Local.class.getName());
    out.put("fs.s3a.impl", S3A.class.getName());
    return out;
  }

  /** Waits until the worker stopped (the marker exists). */
  public static String await(java.nio.file.Path marker, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(marker) && Files.size(marker) > 0) {
        return Files.readString(marker);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the worker never reached the commit (no " + marker + ")");
  }
}
