package dev.sluice.activities.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.platform.ContentBatchSeed.FileSeed;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.PlatformSourceActivities;
import dev.sluice.workflows.activities.PlatformSourceMessages.ExtractBatchRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.ExtractBatchResult;
import dev.sluice.workflows.activities.PlatformSourceMessages.LastBatchRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.ListBatchesRequest;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a retry sees: 5xx and 429 answers and dropped connections are retryable (after the
 * platform's {@code Retry-After}), and a batch read again after a failed attempt lands each row
 * once. Temporal retries by calling the activity again; so do these tests.
 */
class PlatformSourceRetriesTest {
  /** Content requests (not listings) the worker's client fails, counted down per request. */
  static final AtomicInteger contentRequestsBeforeDrop = new AtomicInteger(-1);

  /** Content answers the worker's client cuts to half (a proxy ending the body early). */
  static final AtomicInteger contentAnswersBeforeCut = new AtomicInteger(-1);

  /** A content request of this part name waits at {@link #gate} after counting {@link #arrived}. */
  static volatile String gatedPart;

  static volatile CountDownLatch arrived = new CountDownLatch(1);
  static volatile CountDownLatch gate = new CountDownLatch(0);

  static SourceSandbox sandbox;

  @TempDir Path dir;
  Path staging;

  @BeforeAll
  static void start() {
    OkHttpClient client =
        new OkHttpClient.Builder()
            .addInterceptor(
                chain -> {
                  String part = chain.request().url().queryParameter("path");
                  boolean content = part != null;
                  if (content && part.equals(gatedPart)) {
                    arrived.countDown();
                    try {
                      if (!gate.await(30, TimeUnit.SECONDS)) {
                        throw new IOException("gate never opened (test)");
                      }
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      throw new IOException(e);
                    }
                  }
                  if (content && contentRequestsBeforeDrop.getAndDecrement() == 0) {
                    throw new IOException("connection reset by peer (test)");
                  }
                  Response response = chain.proceed(chain.request());
                  if (content && contentAnswersBeforeCut.getAndDecrement() == 0) {
                    byte[] body = response.body().bytes();
                    return response
                        .newBuilder()
                        .body(
                            ResponseBody.create(
                                Arrays.copyOf(body, body.length / 2),
                                response.body().contentType()))
                        .build();
                  }
                  return response;
                })
            .build();
    sandbox = new SourceSandbox(client);
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @BeforeEach
  void reset() {
    sandbox.reset();
    contentRequestsBeforeDrop.set(-1);
    contentAnswersBeforeCut.set(-1);
    gatedPart = null;
    staging = dir.resolve("staging");
  }

  ExtractBatchResult extract(String batchId) {
    return extract(sandbox.activities, batchId);
  }

  ExtractBatchResult extract(PlatformSourceActivities worker, String batchId) {
    return worker.extractBatch(
        new ExtractBatchRequest(
            "run-1",
            sandbox.source(SourceSandbox.TYPED, 100),
            batchId,
            SourceSandbox.table(dir.resolve("table").toUri().toString(), "16KB"),
            staging.toUri().toString()));
  }

  static List<Map<String, Object>> rows(int from, int to) {
    return IntStream.range(from, to)
        .mapToObj(i -> SourceSandbox.row("r" + i, 1900 + i % 100, i, i / 2.0, true))
        .toList();
  }

  static void assertRetryableAfterOneSecond(Runnable call) {
    ApplicationFailure failure = ExtractSourceBatchTest.failure(call);
    assertThat(failure.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
    assertThat(failure.isNonRetryable()).isFalse();
    // The emulation's Retry-After: 1.
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void givenCatalogAnswers503_whenListing_thenRetryableAfterRetryAfterAndTheRetrySucceeds() {
    sandbox.seed("b1", 1_000, FileSeed.text("a.csv", "id\nr1\n"));
    sandbox.platform.failRequests("list", 1, 503);
    ListBatchesRequest request =
        new ListBatchesRequest(
            sandbox.source(SourceSandbox.TYPED, 100), 0, null, Long.MAX_VALUE, 10);

    assertRetryableAfterOneSecond(() -> sandbox.activities.listBatches(request));

    assertThat(sandbox.activities.listBatches(request).batches()).hasSize(1);
  }

  @Test
  void givenCatalogAnswers429_whenCheckingTheLastBatch_thenRetryableAfterRetryAfter() {
    sandbox.seed("b1", 1_000, FileSeed.text("a.csv", "id\nr1\n"));
    sandbox.platform.failRequests("list", 1, 429);
    LastBatchRequest request = new LastBatchRequest(sandbox.source(SourceSandbox.TYPED, 100));

    assertRetryableAfterOneSecond(() -> sandbox.activities.lastBatch(request));

    assertThat(sandbox.activities.lastBatch(request).batchId()).isEqualTo("b1");
  }

  @Test
  void givenDataAccessAnswers429_whenExtracting_thenRetryableAndTheRetryLandsEachRowOnce()
      throws IOException {
    sandbox.seed("b1", 1_000, FileSeed.parquet("p.parquet", rows(0, 50)));
    sandbox.platform.failRequests("download", 1, 429);

    assertRetryableAfterOneSecond(() -> extract("b1"));
    extract("b1");

    assertThat(ids()).isEqualTo(ExtractSourceBatchTest.expectedIds(0, 50));
  }

  @Test
  void givenAConnectionCutMidListing_whenExtracting_thenRetryableAndTheRetryReadsTheBatch()
      throws IOException {
    sandbox.seed("b1", 1_000, FileSeed.parquet("p.parquet", rows(0, 50)));
    sandbox.platform.dropConnections("download", 1);

    ApplicationFailure failure = ExtractSourceBatchTest.failure(() -> extract("b1"));
    assertThat(failure.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
    assertThat(failure.isNonRetryable()).isFalse();
    extract("b1");

    assertThat(ids()).isEqualTo(ExtractSourceBatchTest.expectedIds(0, 50));
  }

  @Test
  void givenContentShorterThanListed_whenExtracting_thenRetryableNotMalformed() throws IOException {
    sandbox.seed("b1", 1_000, FileSeed.parquet("p.parquet", rows(0, 50)));
    contentAnswersBeforeCut.set(0);

    ApplicationFailure failure = ExtractSourceBatchTest.failure(() -> extract("b1"));
    assertThat(failure.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
    assertThat(failure.getOriginalMessage()).contains("b1-1/p.parquet", "bytes listed");
    extract("b1");

    assertThat(ids()).isEqualTo(ExtractSourceBatchTest.expectedIds(0, 50));
  }

  @Test
  void givenAnAttemptFailingAfterWritingFiles_whenRetried_thenEachRowOnceAndOtherBatchesUntouched()
      throws IOException {
    sandbox.seed("b-other", 500, FileSeed.parquet("p.parquet", rows(900, 910)));
    // Three files of 15,000 rows: with 16KB staged files, the first attempt has finished staged
    // files of the batch on disk when the third download fails.
    sandbox.seed(
        "b-main",
        1_000,
        FileSeed.parquet("a.parquet", rows(0, 15_000)),
        FileSeed.parquet("b.parquet", rows(15_000, 30_000)),
        FileSeed.parquet("c.parquet", rows(30_000, 45_000)));
    extract("b-other");
    Path other = staging.resolve("part-b-other-00000.parquet");
    byte[] otherBytes = Files.readAllBytes(other);
    contentRequestsBeforeDrop.set(2);

    ApplicationFailure failure = ExtractSourceBatchTest.failure(() -> extract("b-main"));
    assertThat(failure.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
    Path work = staging.resolve(PlatformBatchReader.WORK_DIR).resolve("b-main");
    assertThat(StagedRows.parquetFiles(work)).as("files the failed attempt left").isNotEmpty();
    ExtractBatchResult retried = extract("b-main");

    assertThat(retried.rows()).isEqualTo(45_000);
    assertThat(ids())
        .isEqualTo(
            java.util.stream.Stream.concat(
                    ExtractSourceBatchTest.expectedIds(0, 45_000).stream(),
                    ExtractSourceBatchTest.expectedIds(900, 910).stream())
                .sorted()
                .toList());
    assertThat(Files.readAllBytes(other)).isEqualTo(otherBytes);
    assertThat(Files.exists(work)).isFalse();
  }

  @Test
  void
      givenTwoBatchesReadAtOnceIntoOneStaging_whenOneStartsWhileTheOtherIsWriting_thenBothLandWhole()
          throws Exception {
    // b-first writes its first file (rolling staged files), then waits before its second file
    // while b-second is read from start to end into the same staging directory.
    sandbox.seed(
        "b-first",
        1_000,
        FileSeed.parquet("f1.parquet", rows(0, 20_000)),
        FileSeed.parquet("f2.parquet", rows(20_000, 25_000)));
    sandbox.seed("b-second", 2_000, FileSeed.parquet("s1.parquet", rows(50_000, 60_000)));
    gatedPart = "f2.parquet";
    arrived = new CountDownLatch(1);
    gate = new CountDownLatch(1);
    ExecutorService parallel = Executors.newSingleThreadExecutor();
    try {
      Future<ExtractBatchResult> first = parallel.submit(() -> extract("b-first"));
      assertThat(arrived.await(30, TimeUnit.SECONDS))
          .as("b-first reached its second file")
          .isTrue();

      ExtractBatchResult second = extract(sandbox.secondWorker(), "b-second");
      gate.countDown();

      assertThat(first.get(60, TimeUnit.SECONDS).rows()).isEqualTo(25_000);
      assertThat(second.rows()).isEqualTo(10_000);
    } finally {
      gate.countDown();
      parallel.shutdownNow();
    }
    assertThat(ids())
        .isEqualTo(
            java.util.stream.Stream.concat(
                    ExtractSourceBatchTest.expectedIds(0, 25_000).stream(),
                    ExtractSourceBatchTest.expectedIds(50_000, 60_000).stream())
                .sorted()
                .toList());
  }

  List<String> ids() throws IOException {
    return ExtractSourceBatchTest.ids(StagedRows.allRows(staging));
  }
}
