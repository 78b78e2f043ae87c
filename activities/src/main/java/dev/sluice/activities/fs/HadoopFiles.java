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
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
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

  /** A configuration for workers: no {@code .crc} side files on the local file system. */
  public static Configuration defaultConfiguration() {
    Configuration conf = new Configuration();
    // Readers such as DuckDB glob the table directory; checksum side files only get in the way.
    conf.setBoolean("fs.file.impl.disable.cache", false);
    return conf;
  }

  public Configuration conf() {
    return conf;
  }

  /** The file system serving {@code uri}, with write checksums off on the local file system. */
  public FileSystem fs(String uri) {
    try {
      FileSystem fs = FileSystem.get(URI.create(uri), conf);
      if ("file".equals(fs.getScheme())) {
        fs.setWriteChecksum(false);
        fs.setVerifyChecksum(false);
      }
      return fs;
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
   * sibling temporary file, then rename it over the target.
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
      if (fs.exists(target) && !fs.delete(target, false)) {
        throw new IOException("cannot replace " + target);
      }
      if (!fs.rename(tmp, target)) {
        throw new IOException("cannot rename " + tmp + " to " + target);
      }
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
