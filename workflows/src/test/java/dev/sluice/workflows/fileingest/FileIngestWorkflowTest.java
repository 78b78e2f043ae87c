package dev.sluice.workflows.fileingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.FileMessages.StageFileRequest;
import dev.sluice.workflows.activities.FileMessages.StageFileResult;
import dev.sluice.workflows.activities.Messages.DeferralRequest;
import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.Messages.DiscardRequest;
import dev.sluice.workflows.activities.Messages.DiscardResult;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.Messages.WatermarkRequest;
import dev.sluice.workflows.activities.Messages.WatermarkResult;
import dev.sluice.workflows.activities.ParquetSinkActivities;
import dev.sluice.workflows.activities.SourceFileActivities;
import dev.sluice.workflows.common.WorkflowIds;
import dev.sluice.workflows.fakes.TestWorkers;
import dev.sluice.workflows.histories.Histories;
import io.temporal.activity.Activity;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** File-ingest requests with time skipping, a scripted source file and a scripted table. */
class FileIngestWorkflowTest {
  private static final String URI = "https://files.example/exports/orders-2026-11-22.csv";
  private static final String TABLE = "file:///lake/orders";
  private static final FileIngestInput INPUT = new FileIngestInput(URI, "orders", "csv", TABLE);
  private static final String KEY = "file_orders_" + WorkflowIds.uriHash(URI);
  private static final String STAGING = TABLE + "/_sluice/staging/" + KEY;
  private static final String ID = WorkflowIds.fileIngest("orders", URI);

  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(FileIngestWorkflowImpl.class)
          .setWorkerOptions(TestWorkers.FAST_HEARTBEATS)
          .setDoNotStart(true)
          .build();

  private String queue;
  private WorkflowClient client;
  private final List<String> journal = new CopyOnWriteArrayList<>();
  private final Deque<Function<StageFileRequest, StageFileResult>> stagings = new ArrayDeque<>();
  private final List<StageFileRequest> stageRequests = new CopyOnWriteArrayList<>();
  private final List<PublishRequest> publishes = new CopyOnWriteArrayList<>();
  private final CountDownLatch stagingStarted = new CountDownLatch(1);

  /** Counted down when the test ends, so no scripted attempt outlives it. */
  private final CountDownLatch tornDown = new CountDownLatch(1);

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker) {
    this.queue = worker.getTaskQueue();
    worker.registerActivitiesImplementations(new ScriptedFile(), new ScriptedTable());
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    tornDown.countDown();
  }

  @Test
  void givenFileStaged_whenIngested_thenPublishedInAppendModeUnderNamesOfTheRequest() {
    stagings.add(r -> new StageFileResult(3, 900, List.of("part-" + KEY + "-00000.parquet"), 40));

    FileIngestResult result = start(INPUT).getResult(FileIngestResult.class);

    assertThat(journal).containsExactly("stage", "publish");
    StageFileRequest staged = stageRequests.get(0);
    assertThat(staged.uri()).isEqualTo(URI);
    assertThat(staged.format()).isEqualTo("csv");
    assertThat(staged.runKey()).isEqualTo(KEY);
    assertThat(staged.stagingUri()).isEqualTo(STAGING);
    assertThat(staged.table().path()).isEqualTo(TABLE);
    PublishRequest publish = publishes.get(0);
    assertThat(publish.runKey()).isEqualTo(KEY);
    assertThat(publish.sink().mode()).isEqualTo("append");
    assertThat(publish.stagingUri()).isEqualTo(STAGING);
    assertThat(publish.files()).containsExactly("part-" + KEY + "-00000.parquet");
    assertThat(publish.newWatermark()).isNull();
    assertThat(result.rows()).isEqualTo(3);
    assertThat(result.sourceBytes()).isEqualTo(40);
    assertThat(result.files()).containsExactly(TABLE + "/part-" + KEY + "-00000.parquet");
    Histories.keep(client, ID, "fileingest-success.json");
  }

  @Test
  void givenTransientFailures_whenStaging_thenRetriedAndPublishedOnce() {
    stagings.add(r -> throwing(transientFailure()));
    stagings.add(r -> throwing(transientFailure()));
    stagings.add(r -> new StageFileResult(1, 100, List.of("part-" + KEY + "-00000.parquet"), 5));

    FileIngestResult result = start(INPUT).getResult(FileIngestResult.class);

    assertThat(journal).containsExactly("stage", "stage", "stage", "publish");
    assertThat(result.rows()).isEqualTo(1);
  }

  @Test
  void givenMalformedFile_whenIngested_thenFailsWithItsLineAndDiscardsStagingWithoutPublishing() {
    stagings.add(
        r ->
            throwing(
                ApplicationFailure.newNonRetryableFailure(
                    URI + ": line 7: quote inside an unquoted field",
                    FailureType.MALFORMED_DATA.type())));

    assertThatThrownBy(() -> start(INPUT).getResult(FileIngestResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureType.MALFORMED_DATA.type());
              assertThat(f.getOriginalMessage())
                  .isEqualTo(URI + ": line 7: quote inside an unquoted field");
            });
    assertThat(journal).containsExactly("stage", "discard " + STAGING);
    assertThat(publishes).isEmpty();
    Histories.keep(client, ID, "fileingest-malformed-discarded.json");
  }

  @Test
  void givenFileAskedForAgainWhileBeingRead_whenThatIngestEnds_thenItIsReadAndPublishedOnceMore()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    stagings.add(
        r -> {
          stagingStarted.countDown();
          while (!awaitMillis(release, 20)) {
            Activity.getExecutionContext().heartbeat(null);
          }
          return new StageFileResult(3, 900, List.of("part-" + KEY + "-00000.parquet"), 40);
        });
    // The file as it is when asked for again: two more rows.
    stagings.add(r -> new StageFileResult(5, 950, List.of("part-" + KEY + "-00000.parquet"), 60));
    start(INPUT);
    assertThat(stagingStarted.await(10, TimeUnit.SECONDS)).isTrue();

    client
        .newWorkflowStub(FileIngestWorkflow.class, WorkflowIds.fileIngest("orders", URI))
        .askedAgain();
    release.countDown();
    FileIngestResult result =
        client
            .newUntypedWorkflowStub(WorkflowIds.fileIngest("orders", URI))
            .getResult(FileIngestResult.class);

    assertThat(journal).containsExactly("stage", "publish", "stage", "publish");
    assertThat(publishes).extracting(PublishRequest::runKey).containsExactly(KEY, KEY);
    assertThat(result.rows()).as("the file as it was when asked for again").isEqualTo(5);
  }

  @Test
  void givenNoSecondRequest_whenIngested_thenTheFileIsReadOnce() {
    stagings.add(r -> new StageFileResult(3, 900, List.of("part-" + KEY + "-00000.parquet"), 40));

    start(INPUT).getResult(FileIngestResult.class);

    assertThat(journal).containsExactly("stage", "publish");
  }

  @Test
  void givenInputWithBadDataset_whenIngested_thenFailsNamingTheFieldBeforeTouchingAnything() {
    FileIngestInput bad = new FileIngestInput(URI, "../etc", "csv", TABLE);

    assertThatThrownBy(() -> start(bad).getResult(FileIngestResult.class))
        .rootCause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureType.INVALID_PIPELINE.type());
              assertThat(f.getOriginalMessage())
                  .startsWith("dataset: '../etc' is not a dataset name");
            });
    assertThat(journal).isEmpty();
  }

  @Test
  void givenCancelWhileStaging_whenCancelled_thenStagingIsDiscardedAndNothingPublished()
      throws Exception {
    stagings.add(
        r -> {
          stagingStarted.countDown();
          while (!awaitMillis(tornDown, 20)) {
            // Throws ActivityCanceledException once the cancel reaches this attempt.
            Activity.getExecutionContext().heartbeat(null);
          }
          throw new IllegalStateException("the test ended before the cancel reached the attempt");
        });
    WorkflowStub run = start(INPUT);
    assertThat(stagingStarted.await(10, TimeUnit.SECONDS)).isTrue();

    run.cancel();

    assertThatThrownBy(() -> run.getResult(FileIngestResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .hasCauseInstanceOf(CanceledFailure.class);
    assertThat(journal).containsExactly("stage", "discard " + STAGING);
    assertThat(publishes).isEmpty();
    Histories.keep(client, ID, "fileingest-cancelled-discarded.json");
  }

  @Test
  void givenSameFileAndDataset_thenTheWorkflowIdIsTheSameAndDiffersForAnotherDataset() {
    assertThat(WorkflowIds.fileIngest("orders", URI))
        .isEqualTo(WorkflowIds.fileIngest("orders", URI))
        .isEqualTo("file/orders/" + WorkflowIds.uriHash(URI))
        .isNotEqualTo(WorkflowIds.fileIngest("orders-eu", URI))
        .isNotEqualTo(WorkflowIds.fileIngest("orders", URI + ".gz"));
    assertThat(WorkflowIds.uriHash(URI)).hasSize(16).matches("[0-9a-f]+");
  }

  @Test
  void givenFileNames_thenFormatComesFromTheExtensionBeforeGz() {
    assertThat(FileIngestRequests.formatOf("s3a://b/x/orders.CSV")).isEqualTo("csv");
    assertThat(FileIngestRequests.formatOf("https://h/e.ndjson.gz?sig=1")).isEqualTo("ndjson");
    assertThat(FileIngestRequests.formatOf("file:///d/e.jsonl")).isEqualTo("ndjson");
    assertThat(FileIngestRequests.formatOf("hdfs://nn/d/users.json.gz")).isEqualTo("json");
    assertThat(FileIngestRequests.formatOf("https://h/download?file=x.csv")).isNull();
    assertThat(FileIngestRequests.isGzip("https://h/e.csv.gz?x=1")).isTrue();
    assertThat(FileIngestRequests.isGzip("https://h/e.csv?x=.gz")).isFalse();
  }

  private WorkflowStub start(FileIngestInput input) {
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            "FileIngestWorkflow",
            WorkflowOptions.newBuilder()
                .setTaskQueue(queue)
                .setWorkflowId(WorkflowIds.fileIngest("orders", URI))
                .build());
    stub.start(input);
    return stub;
  }

  private static ApplicationFailure transientFailure() {
    return ApplicationFailure.newFailure(
        "GET " + URI + " answered HTTP 503: busy", FailureType.HTTP_TRANSIENT.type());
  }

  private static StageFileResult throwing(RuntimeException e) {
    throw e;
  }

  /** Waits up to {@code millis} for {@code latch}; whether it was counted down. */
  private static boolean awaitMillis(CountDownLatch latch, long millis) {
    try {
      return latch.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The source file: each attempt plays the next scripted outcome. */
  private final class ScriptedFile implements SourceFileActivities {
    @Override
    public StageFileResult stageSourceFile(StageFileRequest request) {
      journal.add("stage");
      stageRequests.add(request);
      Function<StageFileRequest, StageFileResult> next =
          stagings.size() > 1 ? stagings.poll() : stagings.peek();
      return next.apply(request);
    }
  }

  /** The table: records publishes and discards. */
  private final class ScriptedTable implements ParquetSinkActivities {
    @Override
    public WatermarkResult readWatermark(WatermarkRequest request) {
      throw new UnsupportedOperationException("a file ingest has no watermark");
    }

    @Override
    public PublishResult publish(PublishRequest request) {
      journal.add("publish");
      publishes.add(request);
      return new PublishResult(
          request.sink().path(),
          request.files().stream().map(f -> request.sink().path() + "/" + f).toList(),
          900);
    }

    @Override
    public DeferralResult applyDeferral(DeferralRequest request) {
      throw new UnsupportedOperationException("a file ingest defers nothing");
    }

  @Override
  public dev.sluice.workflows.activities.WindowMessages.OpenWindowResult openWindow(
      dev.sluice.workflows.activities.WindowMessages.OpenWindowRequest request) {
    return new dev.sluice.workflows.activities.WindowMessages.OpenWindowResult(
        null, null, false, null);
  }

  @Override
  public dev.sluice.workflows.activities.WindowMessages.FirstWindowResult firstWindow(
      dev.sluice.workflows.activities.WindowMessages.FirstWindowRequest request) {
    throw new UnsupportedOperationException("a file ingest owns no range");
  }

  @Override
  public dev.sluice.workflows.activities.WindowMessages.ReleaseWindowResult releaseWindow(
      dev.sluice.workflows.activities.WindowMessages.ReleaseWindowRequest request) {
    return new dev.sluice.workflows.activities.WindowMessages.ReleaseWindowResult(0);
  }

    @Override
    public DiscardResult discardStaging(DiscardRequest request) {
      journal.add("discard " + request.stagingUri());
      return new DiscardResult(true);
    }
  }
}
