package dev.sluice.activities.windows;

import com.fasterxml.jackson.core.JsonFactory;
import dev.sluice.activities.formats.Compression;
import dev.sluice.activities.formats.MalformedDataException;
import dev.sluice.activities.formats.PageParser;
import dev.sluice.activities.formats.PageParsers;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.parquet.KeepAliveSink;
import dev.sluice.activities.parquet.InvalidSinkException;
import dev.sluice.activities.parquet.ParquetStagingWriter;
import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.activities.parquet.SchemaMismatchException;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.batchwindow.LandingFileActivities;
import dev.sluice.workflows.batchwindow.WindowMessages.FilesRequest;
import dev.sluice.workflows.batchwindow.WindowMessages.FilesResult;
import dev.sluice.workflows.batchwindow.WindowMessages.LoadedRequest;
import dev.sluice.workflows.batchwindow.WindowMessages.LoadedResult;
import dev.sluice.workflows.batchwindow.WindowMessages.SourceFile;
import dev.sluice.workflows.batchwindow.WindowMessages.StageRequest;
import dev.sluice.workflows.batchwindow.WindowMessages.StageResult;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LandingFileActivities} over Hadoop's {@code FileSystem} (and OkHttp for reading {@code
 * http(s):} files). One instance per worker.
 */
public final class LandingFileActivitiesImpl implements LandingFileActivities {
  private static final Logger log = LoggerFactory.getLogger(LandingFileActivitiesImpl.class);

  /** Well inside LONG_TRANSFER's 2-minute heartbeat timeout. */
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(10);

  private final OkHttpClient http;
  private final JsonFactory json;
  private final HadoopFiles files;
  private final Clock clock;
  private final LoadedFiles loaded;

  /**
   * @param http the worker's HTTP client, for {@code http(s):} files
   * @param json the worker's JSON factory
   * @param files the worker's file systems
   */
  public LandingFileActivitiesImpl(OkHttpClient http, JsonFactory json, HadoopFiles files) {
    this(http, json, files, Clock.systemUTC());
  }

  LandingFileActivitiesImpl(OkHttpClient http, JsonFactory json, HadoopFiles files, Clock clock) {
    this.http = http;
    this.json = json;
    this.files = files;
    this.clock = clock;
    this.loaded = new LoadedFiles(files);
  }

  @Override
  public StageResult stageWindowFiles(StageRequest request) {
    return stage(request, details -> Activity.getExecutionContext().heartbeat(details));
  }

  /**
   * As {@link #stageWindowFiles(StageRequest)}, heartbeating through {@code heartbeat} (the file
   * index); no resume from heartbeats: a window's files are loaded together, and a retry starts
   * over.
   */
  StageResult stage(StageRequest request, Consumer<Integer> heartbeat) {
    FormatSpec format = formatOf(request);
    PageParser parser = PageParsers.forFormat(format, json, Set.of());
    List<SourceFile> sources = new ArrayList<>(request.uris().size());
    ParquetStagingWriter writer;
    try {
      // No resume state: staging is emptied, so a retried attempt writes the same names afresh.
      writer =
          new ParquetStagingWriter(
              files, request.table(), request.stagingUri(), request.runKey(), null, null);
    } catch (InvalidSinkException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          e.getMessage(), FailureType.INVALID_PIPELINE.type(), e);
    }
    try {
      int[] file = {0}; // the file being read, what a heartbeat reports
      KeepAliveSink sink =
          KeepAliveSink.throttled(writer, clock, KEEP_ALIVE, rows -> heartbeat.accept(file[0]));
      for (int i = 0; i < request.uris().size(); i++) {
        String uri = request.uris().get(i);
        file[0] = i;
        long rows;
        String version;
        try (Opened opened = open(uri)) {
          if (opened == null) {
            log.warn("{} is gone; the window loads without it", uri);
            sources.add(new SourceFile(uri, 0, true));
            continue;
          }
          version = opened.version();
          Optional<LoadedFiles.Loaded> earlier =
              version == null
                  ? Optional.empty()
                  : loaded.find(request.table(), uri).filter(l -> version.equals(l.version()));
          if (earlier.isPresent()) {
            log.info("{} was loaded by window {}; not loaded again", uri, earlier.get().window());
            sources.add(new SourceFile(uri, 0, false, version, earlier.get().window()));
            continue;
          }
          rows =
              parser
                  .parse(Compression.AUTO.decode(opened.stream(), null, null), i + 1, sink)
                  .records();
        } catch (MalformedDataException e) {
          throw ApplicationFailure.newNonRetryableFailureWithCause(
              uri + ", line " + e.line() + ": " + problem(e), FailureType.MALFORMED_DATA.type(), e);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + uri + ": " + e.getMessage(), e);
        }
        writer.endPage();
        heartbeat.accept(i + 1);
        sources.add(new SourceFile(uri, rows, false, version, null));
      }
      WriterState done = writer.finish();
      return new StageResult(done.rows(), done.bytes(), List.copyOf(done.files()), sources);
    } catch (SchemaMismatchException e) {
      writer.close();
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          e.getMessage(), FailureType.SCHEMA_MISMATCH.type(), e);
    } catch (RuntimeException e) {
      writer.close();
      throw e;
    }
  }

  @Override
  public LoadedResult recordLoaded(LoadedRequest request) {
    int recorded = 0;
    String at = clock.instant().toString();
    for (SourceFile file : request.files()) {
      if (file.missing() || file.loadedBy() != null || file.version() == null) {
        continue;
      }
      loaded.record(
          request.table(),
          new LoadedFiles.Loaded(file.uri(), file.version(), request.windowId(), at));
      recorded++;
    }
    return new LoadedResult(recorded);
  }

  @Override
  public FilesResult deleteFiles(FilesRequest request) {
    int done = 0;
    int gone = 0;
    for (String uri : request.uris()) {
      requireFileSystem(uri, "delete");
      if (files.delete(uri)) {
        done++;
      } else {
        gone++;
      }
    }
    log.info("deleted {} files ({} already gone)", done, gone);
    return new FilesResult(done, gone, 0);
  }

  @Override
  public FilesResult moveFiles(FilesRequest request) {
    String to = request.to().endsWith("/") ? request.to() : request.to() + "/";
    int done = 0;
    int already = 0;
    int missing = 0;
    for (String uri : request.uris()) {
      requireFileSystem(uri, "move");
      Path source = new Path(uri);
      Path target = new Path(to + source.getName());
      FileSystem from = files.fs(uri);
      FileSystem into = files.fs(target.toString());
      try {
        if (!from.exists(source)) {
          if (into.exists(target)) {
            already++;
          } else {
            missing++;
          }
          continue;
        }
        into.mkdirs(target.getParent());
        if (from.getUri().equals(into.getUri())) {
          files.moveOverwriting(from, source, target);
        } else if (!FileUtil.copy(from, source, into, target, true, true, files.conf())) {
          throw new IOException("copy of " + source + " to " + target + " failed");
        }
        done++;
      } catch (FileNotFoundException e) {
        // Moved by a concurrent attempt between the check and the move.
        already++;
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot move " + uri + " to " + target + ": " + e.getMessage(), e);
      }
    }
    log.info("moved {} files to {} ({} already there, {} not found)", done, to, already, missing);
    return new FilesResult(done, already, missing);
  }

  /** The route's format, or the one every file's extension names. */
  static FormatSpec formatOf(StageRequest request) {
    if (request.format() != null) {
      return request.format();
    }
    String type = null;
    for (String uri : request.uris()) {
      String own = typeByExtension(uri);
      if (own == null) {
        throw ApplicationFailure.newNonRetryableFailure(
            "cannot tell the format of "
                + uri
                + " from its name (.csv, .json, .ndjson or .jsonl, optionally .gz); set the"
                + " route's format",
            FailureType.INVALID_PIPELINE.type());
      }
      if (type != null && !type.equals(own)) {
        throw ApplicationFailure.newNonRetryableFailure(
            "the window mixes "
                + type
                + " and "
                + own
                + " files ("
                + uri
                + "); one load takes one"
                + " format: route them apart",
            FailureType.INVALID_PIPELINE.type());
      }
      type = own;
    }
    return FormatSpec.defaults(type);
  }

  /** {@code csv}, {@code json} or {@code ndjson} by the file name, or null. */
  static String typeByExtension(String uri) {
    String name = uri.toLowerCase(Locale.ROOT);
    int query = name.indexOf('?');
    if (query >= 0) {
      name = name.substring(0, query);
    }
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    }
    if (name.endsWith(".csv")) {
      return "csv";
    }
    if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) {
      return "ndjson";
    }
    return name.endsWith(".json") ? "json" : null;
  }

  /** An open source file and the version of its content the source reports. */
  private record Opened(InputStream stream, String version) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      stream.close();
    }
  }

  /**
   * The file's bytes and version, or null when it does not exist. The version is the file
   * system's length and modification time, or the HTTP {@code ETag} (else {@code Last-Modified}
   * with {@code Content-Length}); null when an HTTP answer carries neither.
   */
  private Opened open(String uri) throws IOException {
    if (isHttp(uri)) {
      Response response = http.newCall(new Request.Builder().url(uri).get().build()).execute();
      if (response.code() == 404 || response.code() == 410) {
        response.close();
        return null;
      }
      if (!response.isSuccessful()) {
        int code = response.code();
        response.close();
        String where = "GET " + uri.replaceFirst("[?].*$", "");
        boolean transientCode = code >= 500 || code == 408 || code == 429;
        if (transientCode) {
          throw ApplicationFailure.newFailure(
              where + " answered HTTP " + code, FailureType.HTTP_TRANSIENT.type());
        }
        throw ApplicationFailure.newNonRetryableFailure(
            where + " answered HTTP " + code, FailureType.HTTP_CLIENT_ERROR.type());
      }
      return new Opened(response.body().byteStream(), httpVersion(response));
    }
    try {
      FileSystem fs = files.fs(uri);
      Path path = new Path(uri);
      FileStatus status = fs.getFileStatus(path);
      String version = "size=" + status.getLen() + ",modified=" + status.getModificationTime();
      return new Opened(fs.open(path), version);
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  private static String httpVersion(Response response) {
    String etag = response.header("ETag");
    if (etag != null) {
      return "etag=" + etag;
    }
    String modified = response.header("Last-Modified");
    String length = response.header("Content-Length");
    return modified == null || length == null ? null : "size=" + length + ",modified=" + modified;
  }

  private static boolean isHttp(String uri) {
    String lower = uri.toLowerCase(Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://");
  }

  private static void requireFileSystem(String uri, String action) {
    if (isHttp(uri)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "cannot " + action + " " + uri + ": http(s) files are read-only to Sluice",
          FailureType.INVALID_PIPELINE.type());
    }
  }

  private static String problem(MalformedDataException e) {
    String message = e.getMessage();
    int colon = message.indexOf(": ");
    return colon < 0 ? message : message.substring(colon + 2);
  }
}
