package dev.sluice.activities.fs;

import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

/**
 * Small, idempotent file operations over Hadoop's {@code FileSystem} API, shared by every activity
 * that keeps state beside a table (receipts, watermarks, staging). One instance per worker.
 *
 * <p>File systems differ in the one property publishing relies on: on {@code file:} and {@code
 * hdfs:} a rename is one atomic metadata operation; on every other scheme (object stores: {@code
 * s3a:}, {@code gs:}, {@code abfs:}…) it is treated as what S3A implements, a copy then a delete,
 * and the operations below use what those stores do make atomic instead: a whole object appears (or
 * replaces its predecessor) in one step when its upload completes.
 */
public final class HadoopFiles {
  /** Schemes whose rename is an atomic metadata operation. */
  private static final Set<String> ATOMIC_RENAME = Set.of("file", "hdfs");

  private final Configuration conf;

  /**
   * One {@code FileContext} per file system: each {@code getFileContext} call builds a new client
   * (a new, never-closed S3A instance with its thread and connection pools; a new DFS client).
   */
  private final Map<URI, FileContext> contexts = new ConcurrentHashMap<>();

  public HadoopFiles(Configuration conf) {
    this.conf = conf;
  }

  /**
   * The worker's Hadoop configuration: Hadoop's defaults, any {@code core-site.xml} on the class
   * path, then {@code core-site.xml} and {@code hdfs-site.xml} of the directory {@code
   * HADOOP_CONF_DIR} names (Hadoop's own convention), when set. S3A credentials and endpoints go
   * there ({@code fs.s3a.*}, per bucket as {@code fs.s3a.bucket.<name>.*}), or come from S3A's
   * default chain (the {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} environment, the
   * instance or container role). Never logged.
   *
   * <p>{@code file:} is served by {@link InProcessLocalFileSystem} and {@link InProcessLocalFs}
   * (Hadoop's local file system without its {@code chmod} and {@code readlink} processes) unless
   * the configuration already names classes for {@code fs.file.impl} or {@code
   * fs.AbstractFileSystem.file.impl}.
   */
  public static Configuration defaultConfiguration() {
    return defaultConfiguration(System::getenv);
  }

  /**
   * As {@link #defaultConfiguration()}, reading environment variables from {@code env}.
   *
   * @throws IllegalArgumentException when {@code HADOOP_CONF_DIR} is set but not a directory
   */
  public static Configuration defaultConfiguration(Function<String, String> env) {
    Configuration conf = new Configuration();
    String dir = env.apply("HADOOP_CONF_DIR");
    if (dir != null && !dir.isBlank()) {
      java.nio.file.Path confDir = java.nio.file.Path.of(dir);
      if (!Files.isDirectory(confDir)) {
        throw new IllegalArgumentException("HADOOP_CONF_DIR is not a directory: " + dir);
      }
      for (String name : new String[] {"core-site.xml", "hdfs-site.xml"}) {
        java.nio.file.Path file = confDir.resolve(name);
        if (Files.isRegularFile(file)) {
          conf.addResource(new Path(file.toUri()));
        }
      }
    }
    setUnlessConfigured(conf, "fs.file.impl", InProcessLocalFileSystem.class);
    setUnlessConfigured(conf, "fs.AbstractFileSystem.file.impl", InProcessLocalFs.class);
    return conf;
  }

  /** Sets {@code key} unless a resource other than Hadoop's {@code core-default.xml} set it. */
  private static void setUnlessConfigured(Configuration conf, String key, Class<?> impl) {
    String[] sources = conf.getPropertySources(key);
    if (sources == null || Arrays.stream(sources).allMatch("core-default.xml"::equals)) {
      conf.set(key, impl.getName(), "sluice");
    }
  }

  public Configuration conf() {
    return conf;
  }

  /**
   * The file system serving {@code uri}. On the local file system, checksum side files are off:
   * readers such as DuckDB glob the table directory, and {@code .crc} files only get in the way.
   *
   * @throws ApplicationFailure non-retryable {@code InvalidPipeline} when no file system serves the
   *     URI's scheme on this worker (a retry cannot fix a missing connector)
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
          FailureType.INVALID_PIPELINE.type());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open file system for " + uri + ": " + e.getMessage(), e);
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
   * Whether a rename on {@code fs} is one atomic metadata operation ({@code file:}, {@code hdfs:}).
   */
  public static boolean renameIsAtomic(FileSystem fs) {
    return ATOMIC_RENAME.contains(fs.getScheme());
  }

  /**
   * Writes a small file so that readers see the old content or the new one, never a part, and never
   * no file. With an atomic rename: write a hidden sibling, then rename it over the target ({@code
   * FileContext}'s overwriting rename). On object stores: write the target directly; the object
   * replaces its predecessor only when its upload completes (a rename there would delete the target
   * first, then copy, leaving a moment, or after a crash a gap, with no file).
   */
  public void writeStringAtomically(String uri, String content) {
    Path target = new Path(uri);
    FileSystem fs = fs(uri);
    try {
      if (!renameIsAtomic(fs)) {
        try (OutputStream out = fs.create(target, true)) {
          out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return;
      }
      Path tmp = hiddenSibling(target);
      fs.mkdirs(target.getParent());
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(content.getBytes(StandardCharsets.UTF_8));
      }
      renameOverwriting(fs, tmp, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + uri + ": " + e.getMessage(), e);
    }
  }

  /**
   * A new hidden name beside {@code target} for its content to be written under before a rename:
   * unique per call, so that writers of one target at the same time (two publishes of one table
   * storing its schema, a retried attempt beside its timed-out predecessor) never write into one
   * scratch file, where one would truncate the other's content and rename it half written, or
   * find it renamed away. A crash leaves the hidden file behind; readers skip dot files.
   */
  public static Path hiddenSibling(Path target) {
    return new Path(
        target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
  }

  /**
   * Creates a small file only if none is there; returns whether this call created it. With an
   * atomic rename the content is written to a hidden sibling and renamed without overwrite, which
   * HDFS refuses atomically when the target exists (on the local file system a hard link, which
   * link(2) refuses atomically too); object stores check, then write, so two writers racing there
   * may both believe they won: callers read the file back to learn who did.
   */
  public boolean createIfAbsent(String uri, String content) {
    Path target = new Path(uri);
    FileSystem fs = fs(uri);
    try {
      fs.mkdirs(target.getParent());
      if (fs.exists(target)) {
        return false;
      }
      if (!renameIsAtomic(fs)) {
        try (OutputStream out = fs.create(target, false)) {
          out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return true;
      }
      Path tmp = hiddenSibling(target);
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(content.getBytes(StandardCharsets.UTF_8));
      }
      if (isLocal(fs)) {
        // link(2) refuses an existing name in the same step that creates it: atomic, unlike
        // Hadoop's local rename, which checks and then renames.
        try {
          Files.createLink(local(target), local(tmp));
          return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
          return false;
        } finally {
          Files.deleteIfExists(local(tmp));
        }
      }
      try {
        context(fs).rename(tmp, target, Options.Rename.NONE);
        return true;
      } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
        fs.delete(tmp, false);
        return false;
      }
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + uri + ": " + e.getMessage(), e);
    }
  }

  /**
   * Moves file {@code source} to {@code target} on {@code fs}, replacing a file already there, so
   * that a reader of {@code target} sees the old file or the new one, complete, never neither. With
   * an atomic rename it is one overwriting rename. On object stores: a plain rename (a server-side
   * copy, then a delete of the source) when the target is absent; when it exists, a copy through
   * this worker with overwrite (the new object replaces the old when the upload completes), then
   * the source is deleted. Either way a crash leaves the source in place and repeating the move
   * completes it.
   *
   * @throws IOException from the file system, or when the store refuses the rename
   */
  public void moveOverwriting(FileSystem fs, Path source, Path target) throws IOException {
    if (renameIsAtomic(fs)) {
      renameOverwriting(fs, source, target);
      return;
    }
    if (fs.exists(target)) {
      if (!FileUtil.copy(fs, source, fs, target, false, true, conf)) {
        throw new IOException("copy of " + source + " over " + target + " failed");
      }
      fs.delete(source, false);
    } else if (!fs.rename(source, target)) {
      throw new IOException("rename of " + source + " to " + target + " refused");
    }
  }

  /**
   * One atomic rename of {@code source} over {@code target}. On {@code file:} that is rename(2)
   * itself: Hadoop's local overwriting rename deletes the target, then renames, so a reader could
   * find no file and a concurrent writer's rename could fail with "destination already exists".
   * On HDFS, {@code FileContext}'s overwriting rename is one namenode operation.
   */
  private void renameOverwriting(FileSystem fs, Path source, Path target) throws IOException {
    if (isLocal(fs)) {
      try {
        Files.move(local(source), local(target), StandardCopyOption.ATOMIC_MOVE);
        return;
      } catch (AtomicMoveNotSupportedException e) {
        // Two mounts (a staging folder elsewhere): Hadoop's move, as before.
      }
    }
    context(fs).rename(source, target, Options.Rename.OVERWRITE);
  }

  private static boolean isLocal(FileSystem fs) {
    return "file".equals(fs.getScheme());
  }

  /** A {@code file:} path as the JDK's. */
  private static java.nio.file.Path local(Path path) {
    return java.nio.file.Path.of(path.toUri().getPath());
  }

  private FileContext context(FileSystem fs) {
    return contexts.computeIfAbsent(
        fs.getUri(),
        uri -> {
          try {
            return FileContext.getFileContext(uri, conf);
          } catch (UnsupportedFileSystemException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** The length of file {@code uri}. */
  public long length(String uri) {
    try {
      return fs(uri).getFileStatus(new Path(uri)).getLen();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + uri + ": " + e.getMessage(), e);
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
