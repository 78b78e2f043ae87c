package dev.sluice.activities.fs;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import dev.sluice.workflows.activities.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.hadoop.fs.Path;

/**
 * Small, idempotent file operations over Hadoop's {@code FileSystem} API, shared by every activity
 * that keeps state beside a table (receipts, watermarks, staging). One instance per worker.
 */
public final class HadoopFiles {
  private final Configuration conf;

  public HadoopFiles(Configuration conf) {
    this.conf = conf;
  }

  /** The worker's Hadoop configuration: Hadoop's defaults plus any {@code *-site.xml} on the class path. */
  public static Configuration defaultConfiguration() {
    return new Configuration();
  }

  public Configuration conf() {
    return conf;
  }

  /**
   * The file system serving {@code uri}. On the local file system, checksum side files are off:
   * readers such as DuckDB glob the table directory, and {@code .crc} files only get in the way.
   *
   * @throws ApplicationFailure non-retryable {@code InvalidPipeline} when no file system serves
   *     the URI's scheme on this worker (a retry cannot fix a missing connector)
   */
  public FileSystem fs(String uri) {
    try {
      FileSystem fs = FileSystem.get(URI.create(uri), conf);
      if ("file".equals(fs.getScheme())) {
        fs.setWriteChecksum(false);
        fs.setVerifyChecksum(false);
      }
      return fs;
    } catch (UnsupportedFileSystemException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "no file system for " + uri + " on this worker: " + e.getMessage(),
          FailureTypes.INVALID_PIPELINE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open file system for " + uri + ": " + e.getMessage(), e);
    }
  }

  /** The whole content of a small file, or empty when it does not exist. */
  public Optional<String> readString(String uri) {
    Path path = new Path(uri);
    try (InputStream in = fs(uri).open(path)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return Optional.of(out.toString(StandardCharsets.UTF_8));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + uri + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes a small file so that readers see the old content or the new one, never a part: write a
   * sibling temporary file, then rename it over the target in one step ({@code FileContext}'s
   * overwriting rename: atomic on HDFS and local disks; a copy on object stores, where a single
   * PUT is already all-or-nothing).
   */
  public void writeStringAtomically(String uri, String content) {
    Path target = new Path(uri);
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
    FileSystem fs = fs(uri);
    try {
      fs.mkdirs(target.getParent());
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(content.getBytes(StandardCharsets.UTF_8));
      }
      FileContext.getFileContext(fs.getUri(), conf).rename(tmp, target, Options.Rename.OVERWRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + uri + ": " + e.getMessage(), e);
    }
  }

  /** Deletes a file or directory tree; returns whether it existed. */
  public boolean delete(String uri) {
    try {
      FileSystem fs = fs(uri);
      Path p = new Path(uri);
      return fs.exists(p) && fs.delete(p, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + uri + ": " + e.getMessage(), e);
    }
  }
}
