package dev.sluice.activities.files;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.sluice.workflows.activities.FileMessages.StageFileRequest;
import dev.sluice.workflows.activities.FileMessages.StageFileResult;
import dev.sluice.workflows.activities.SourceFileActivities;
import dev.sluice.workflows.fileingest.FileIngestRequests;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import okhttp3.OkHttpClient;

/**
 * {@link SourceFileActivities}: a file streamed from its URI ({@link SourceFiles}) through the
 * shared parsers into the shared Parquet staging writer. Nothing is buffered beyond the writer's
 * bounded queue, so a file of any size goes through in constant memory. One instance per worker.
 */
public final class SourceFileActivitiesImpl implements SourceFileActivities {
  /** Well inside LONG_TRANSFER's 2-minute heartbeat timeout, as for the HTTP extract. */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(10);

  /** Records between two looks at the keep-alive clock: cheap, yet often enough for any file. */

  private static final int GZIP_BUFFER = 1 << 16;

  private final SourceFiles sources;
  private final ObjectMapper mapper;
  private final HadoopFiles files;
  private final Clock clock;

  /**
   * @param client the worker's HTTP client (for {@code http(s)://} files)
   * @param mapper the worker's JSON mapper (its factory parses JSON and NDJSON)
   * @param files the worker's file systems: Hadoop sources, and the staging the Parquet goes to
   */
  public SourceFileActivitiesImpl(OkHttpClient client, ObjectMapper mapper, HadoopFiles files) {
    this(new SourceFiles(client, files), mapper, files, Clock.systemUTC());
  }

  SourceFileActivitiesImpl(
      SourceFiles sources, ObjectMapper mapper, HadoopFiles files, Clock clock) {
    this.sources = sources;
    this.mapper = mapper;
    this.files = files;
    this.clock = clock;
  }

  @Override
  public StageFileResult stageSourceFile(StageFileRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    return stage(request, context::heartbeat);
  }

  /**
   * {@link #stageSourceFile} with the heartbeat given (tests call it directly).
   *
   * @param heartbeat receives the rows read so far (progress only: a retry starts the file over)
   */
  StageFileResult stage(StageFileRequest request, LongConsumer heartbeat) {
    PageParser parser = parser(request.format());
    String where = SourceFiles.describe(request.uri());
    ParquetStagingWriter writer = writer(request);
    KeepAliveSink sink = KeepAliveSink.throttled(writer, clock, KEEP_ALIVE, heartbeat);
    try (SourceFiles.Opened opened = sources.open(request.uri());
        InputStream body = decode(opened.body(), request.uri())) {
      parser.parse(body, 1, sink);
      WriterState done = writer.finish();
      return new StageFileResult(
          done.rows(), done.bytes(), List.copyOf(done.files()), opened.bytesRead());
    } catch (MalformedDataException e) {
      throw abandon(
          writer,
          ApplicationFailure.newNonRetryableFailureWithCause(
              where + ": line " + e.line() + ": " + problemOf(e), FailureType.MALFORMED_DATA.type(), e));
    } catch (SchemaMismatchException e) {
      throw abandon(
          writer,
          ApplicationFailure.newNonRetryableFailureWithCause(
              where + ": " + e.getMessage(), FailureType.SCHEMA_MISMATCH.type(), e));
    } catch (ZipException e) {
      throw abandon(
          writer,
          ApplicationFailure.newNonRetryableFailureWithCause(
              where + ": not valid gzip: " + e.getMessage(), FailureType.MALFORMED_DATA.type(), e));
    } catch (IOException e) {
      // The connection or the file system failed mid-file: retried, from the start of the file.
      throw abandon(
          writer,
          ApplicationFailure.newFailureWithCause(
              "reading " + where + " failed: " + e, FailureType.HTTP_TRANSIENT.type(), e));
    } catch (RuntimeException e) {
      throw abandon(writer, e);
    }
  }

  private PageParser parser(String format) {
    if (!FileIngestRequests.FORMATS.contains(format)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "format: '" + format + "' is not one of " + FileIngestRequests.FORMATS,
          FailureType.INVALID_PIPELINE.type());
    }
    // A CSV file has a header line; a JSON file is an array of objects at its root.
    return PageParsers.forFormat(FormatSpec.defaults(format), mapper.getFactory(), Set.of());
  }

  /** A fresh writer: it deletes whatever an earlier attempt left in the staging directory. */
  private ParquetStagingWriter writer(StageFileRequest request) {
    try {
      return new ParquetStagingWriter(
          files, request.table(), request.stagingUri(), request.runKey(), null, null);
    } catch (InvalidSinkException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          e.getMessage(), FailureType.INVALID_PIPELINE.type(), e);
    }
  }

  private static InputStream decode(InputStream raw, String uri) throws IOException {
    return FileIngestRequests.isGzip(uri) ? new GZIPInputStream(raw, GZIP_BUFFER) : raw;
  }

  /** The parser's problem without its "page 1, line n: " prefix: a file has no pages. */
  private static String problemOf(MalformedDataException e) {
    String message = e.getMessage();
    String prefix = "page " + e.page() + ", line " + e.line() + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  private static RuntimeException abandon(ParquetStagingWriter writer, RuntimeException failure) {
    try {
      writer.close();
    } catch (RuntimeException | Error e) {
      failure.addSuppressed(e);
    }
    // Anything else (a staging write to the lake failing) stays retryable, as it was thrown.
    return failure;
  }
}
