package dev.sluice.activities.platform;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.pipeline.DataSize;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.PlatformMessages.UploadRequest;
import dev.sluice.workflows.activities.PlatformMessages.UploadResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code uploadFile} of {@link PlatformBatchActivitiesImpl}: a staged file into a batch, by one PUT
 * or by the large-file protocol (initialise, {@code Content-Range} chunks, complete), resuming a
 * large file from the byte offset the last attempt heartbeated.
 */
final class BatchFileUpload {
  private static final Logger log = LoggerFactory.getLogger(BatchFileUpload.class);

  private static final java.time.Duration KEEP_ALIVE = PlatformBatchActivitiesImpl.KEEP_ALIVE;

  private final HadoopFiles files;
  private final MeterRegistry registry;

  BatchFileUpload(HadoopFiles files, MeterRegistry registry) {
    this.files = files;
    this.registry = registry;
  }

  /**
   * Uploads the staged file of {@code request} into its batch: one PUT up to the sink's {@code
   * largeFileThreshold}, else the large-file protocol in {@code chunkSize} chunks.
   */
  UploadResult upload(PlatformSession session, UploadRequest request) {
    PlatformBatchSink sink = request.sink();
    String name = request.name();
    if (name == null || name.isBlank() || name.contains("/")) {
      throw ApplicationFailure.newNonRetryableFailure(
          "invalid file name in batch: '" + name + "'", FailureType.INVALID_PIPELINE.type());
    }
    long threshold = size("largeFileThreshold", sink.largeFileThreshold());
    long chunkSize = size("chunkSize", sink.chunkSize());
    FileSystem fs = files.fs(request.fileUri());
    Path path = new Path(request.fileUri());
    long length = length(fs, path, request.fileUri());
    HttpUrl fileUrl =
        session
            .connection
            .url(
                "import",
                "batches",
                request.batchId(),
                "datasets",
                PlatformBatchActivitiesImpl.requireDataset(sink),
                "files",
                name)
            .build();
    if (length <= threshold) {
      // A single PUT restarts from byte 0 on retry; its heartbeats only say the worker is alive.
      ThrottledHeartbeat alive = new ThrottledHeartbeat(Activity.getExecutionContext(), KEEP_ALIVE);
      Request put =
          new Request.Builder()
              .url(fileUrl)
              .header("Accept", "application/json")
              .put(new FileRangeBody(fs, path, 0, length, written -> alive.keepAlive(0L)))
              .build();
      session.execute(put, status -> false).close();
      uploaded("simple", length);
      return new UploadResult(name, length, false);
    }
    uploadLarge(session, fileUrl, fs, path, length, chunkSize);
    return new UploadResult(name, length, true);
  }

  /** The large-file protocol, resuming from the byte offset the last attempt heartbeated. */
  private void uploadLarge(
      PlatformSession session,
      HttpUrl fileUrl,
      FileSystem fs,
      Path path,
      long length,
      long chunkSize) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    ThrottledHeartbeat heartbeat = new ThrottledHeartbeat(context, KEEP_ALIVE);
    Optional<Long> resumed = context.getHeartbeatDetails(Long.class);
    long offset = resumed.filter(o -> o > 0 && o <= length).orElse(0L);
    if (offset == 0) {
      post(session, fileUrl, "INITIALIZE");
    } else {
      // The earlier attempt initialised the file and the platform holds its chunks below offset.
      log.info("resuming upload of {} at byte {} of {}", path.getName(), offset, length);
    }
    while (offset < length) {
      long start = offset;
      long end = Math.min(length, start + chunkSize);
      Request patch =
          new Request.Builder()
              .url(fileUrl)
              .header("Content-Range", "bytes " + start + "-" + (end - 1) + "/" + length)
              // The committed offset, not the progress: a retry resends the unfinished chunk.
              .patch(
                  new FileRangeBody(
                      fs, path, start, end - start, written -> heartbeat.keepAlive(start)))
              .build();
      session.execute(patch, status -> false).close();
      uploaded("large", end - start);
      offset = end;
      heartbeat.beat(offset);
    }
    post(session, fileUrl, "COMPLETE");
  }

  private static void post(PlatformSession session, HttpUrl fileUrl, String action) {
    Request call =
        new Request.Builder()
            .url(fileUrl.newBuilder().addQueryParameter("action", action).build())
            .post(RequestBody.create(new byte[0], null))
            .build();
    session.execute(call, status -> false).close();
  }

  private static long size(String name, String text) {
    try {
      return DataSize.parseBytes(text);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "platform-batch " + name + ": " + e.getMessage(), FailureType.INVALID_PIPELINE.type());
    }
  }

  private static long length(FileSystem fs, Path path, String uri) {
    try {
      return fs.getFileStatus(path).getLen();
    } catch (FileNotFoundException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "staged file " + uri + " does not exist", FailureType.STAGED_FILE_MISSING.type());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + uri + ": " + e.getMessage(), e);
    }
  }

  private void uploaded(String protocol, long bytes) {
    Counter.builder(PlatformBatchActivitiesImpl.UPLOADED_BYTES)
        .description("Bytes uploaded into platform batches")
        .baseUnit("bytes")
        .tag("protocol", protocol)
        .register(registry)
        .increment(bytes);
  }
}
