package dev.sluice.workflows.filedownload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.FileListingSpec;
import dev.sluice.pipeline.FilesSink;
import dev.sluice.pipeline.FilesSource;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.fakes.TestWorkers;
import dev.sluice.workflows.histories.Histories;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** File download runs with time skipping, a scripted listing and scripted downloads. */
class FileDownloadWorkflowTest {
  private static final String LOGICAL_DATE = "2026-11-22T00:00:00Z";
  private static final String WORKFLOW_ID = "ingest/reports/" + LOGICAL_DATE;
  private static final String LAKE = "file:///lake/reports";
  private static final String RUN_KEY = "ingest_reports_2026-11-22T00-00-00Z";

  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(FileDownloadWorkflowImpl.class)
          .setWorkerOptions(TestWorkers.FAST_HEARTBEATS)
          .setDoNotStart(true)
          .build();

  private String queue;
  private WorkflowClient client;
  private FakeFileShare share;
  private FakeWindowLeases leases;

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker) {
    this.queue = worker.getTaskQueue();
    share = new FakeFileShare(10);
    leases = new FakeWindowLeases();
    worker.registerActivitiesImplementations(share, leases);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    if (share.hold != null) {
      share.hold.countDown();
    }
  }

  private static PipelineSpec pipeline(int maxParallel, int filesPerTask) {
    FileListingSpec listing =
        new FileListingSpec(
            null, "https://share.example.com/files/listing", null, null, null, null, null, null);
    return PipelineSpec.newBuilder(
            "reports",
            new FilesSource(null, listing, null, null, null, maxParallel, filesPerTask, null),
            new FilesSink(LAKE))
        .build();
  }

  private FileDownloadResult run(PipelineSpec spec) {
    return client
        .newWorkflowStub(
            FileDownloadWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(WORKFLOW_ID).build())
        .run(FileDownloadInput.of(spec, LOGICAL_DATE));
  }

  /** Each index handed to a download exactly once, whatever the ranges. */
  private void assertEachIndexOnce(int files) {
    assertThat(share.attemptsPerIndex.keySet())
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, files).boxed().toList());
    assertThat(share.attemptsPerIndex.values()).allMatch(n -> n.get() == 1);
  }

  @Test
  void givenTenFilesAndMaxParallelThree_whenRun_thenListedOnceAndThreeRangesRunAtOnce() {
    share.expectedParallel = 3;

    FileDownloadResult result = run(pipeline(3, 50));

    // Step 1 writes the staging list beside the lake, named after the run; only its URI returns.
    assertThat(share.listings).hasSize(1);
    assertThat(share.listings.get(0).listingUri())
        .isEqualTo(LAKE + "/_sluice/listings/" + RUN_KEY + ".jsonl");
    assertThat(share.listings.get(0).vars())
        .containsEntry("logicalDate", LOGICAL_DATE)
        .containsEntry("windowStart", "2026-11-21T00:00:00Z")
        .containsEntry("runId", WORKFLOW_ID);
    // ceil(10 / 3) = 4 files per range, so the three downloads share the listing.
    assertThat(share.ranges.stream().map(r -> r.from() + "-" + r.to()).sorted())
        .containsExactly("0-4", "4-8", "8-10");
    assertThat(share.peak.get()).isEqualTo(3);
    assertThat(share.ranges)
        .allSatisfy(
            r -> {
              assertThat(r.landingUri()).isEqualTo(LAKE);
              assertThat(r.incomingUri()).isEqualTo(LAKE + "/_sluice/incoming/" + RUN_KEY);
            });
    assertEachIndexOnce(10);
    assertThat(result)
        .isEqualTo(
            new FileDownloadResult(
                LAKE, LAKE + "/_sluice/listings/" + RUN_KEY + ".jsonl", 10, 10, 0, 1000, 1));
    assertThat(share.discarded).containsExactly(LAKE + "/_sluice/incoming/" + RUN_KEY);
    Histories.keep(client, WORKFLOW_ID, "filedownload-success.json");
  }

  @Test
  void givenFilesAlreadyLanded_whenRun_thenTheyCountAsSkipped() {
    share.landed.addAll(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));

    FileDownloadResult result = run(pipeline(4, 50));

    assertThat(result.listed()).isEqualTo(10);
    assertThat(result.skipped()).isEqualTo(10);
    assertThat(result.downloaded()).isZero();
    assertThat(result.bytes()).isZero();
  }

  @Test
  void givenAFileThatNeverMatchesItsChecksum_whenRun_thenOthersLandAndRunFailsNamingIt() {
    share.mismatched.add(6);

    assertThatThrownBy(() -> run(pipeline(2, 50)))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure failure = (ApplicationFailure) e.getCause();
              assertThat(failure.getType()).isEqualTo(FailureType.FILES_FAILED.type());
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage())
                  .startsWith("1 of 10 files did not land in " + LAKE + " (9 downloaded, 0 already")
                  .contains("f6: md5 checksum mismatch, expected aa, got bb");
            });
    assertEachIndexOnce(10);
    assertThat(share.discarded).hasSize(1);
    Histories.keep(client, WORKFLOW_ID, "filedownload-file-failed.json");
  }

  @Test
  void givenARangeFailingForGood_whenRun_thenOtherRangesLandAndTheRangeIsReported() {
    share.refusing.add(2);

    assertThatThrownBy(() -> run(pipeline(5, 2)))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e ->
                assertThat(((ApplicationFailure) e.getCause()).getOriginalMessage())
                    .startsWith("2 of 10 files did not land in " + LAKE + " (8 downloaded")
                    .contains("the download of files 2..3 failed: GET http://share/f2 answered"));
    // The four other ranges of two files each landed.
    assertThat(share.attemptsPerIndex.keySet()).containsExactlyInAnyOrder(0, 1, 4, 5, 6, 7, 8, 9);
  }

  @Test
  void givenTheWindowRunByAnotherWorkflow_whenRun_thenRefusedWithWindowBusyTouchingNothingOfIt() {
    // A scheduled run of the same window (another workflow ID, the same run key) is running.
    Holder scheduled = new Holder("ingest/reports-" + LOGICAL_DATE, "scheduled-run");
    leases.leases.put(RUN_KEY, scheduled);

    assertThatThrownBy(() -> run(pipeline(4, 50)))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> assertThat(rootType(e)).isEqualTo(FailureType.WINDOW_BUSY.type()));
    assertThat(share.listings).as("nothing listed: the staging list is the other run's").isEmpty();
    assertThat(share.discarded).as("its part files are the other run's").isEmpty();
    assertThat(leases.leases).containsEntry(RUN_KEY, scheduled);
    Histories.keep(client, WORKFLOW_ID, "filedownload-window-busy.json");
  }

  @Test
  void givenARun_whenItSucceedsOrFails_thenItHeldItsWindowWhileRunningAndReleasedIt() {
    run(pipeline(4, 50));
    share.refusing.add(3);
    assertThatThrownBy(() -> run(pipeline(4, 50))).isInstanceOf(WorkflowFailedException.class);

    assertThat(leases.events)
        .containsExactly(
            "claim " + RUN_KEY, "release " + RUN_KEY, "claim " + RUN_KEY, "release " + RUN_KEY);
    assertThat(leases.leases).isEmpty();
  }

  @Test
  void givenTheListingIsInvalid_whenRun_thenRunFailsWithItsTypeAndDownloadsNothing() {
    share.listingFailure =
        ApplicationFailure.newNonRetryableFailure(
            "listed files 1 and 4 both land as 'a.csv'", FailureType.INVALID_PIPELINE.type());

    assertThatThrownBy(() -> run(pipeline(4, 50)))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> assertThat(rootType(e)).isEqualTo(FailureType.INVALID_PIPELINE.type()));
    assertThat(share.ranges).isEmpty();
    assertThat(share.discarded).hasSize(1);
    Histories.keep(client, WORKFLOW_ID, "filedownload-listing-failed.json");
  }

  @Test
  void givenDownloadsInFlight_whenCancelled_thenPartFilesAreDiscardedAndTheWindowReleased()
      throws Exception {
    share.hold = new java.util.concurrent.CountDownLatch(1);
    FileDownloadWorkflow wf =
        client.newWorkflowStub(
            FileDownloadWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(WORKFLOW_ID).build());
    io.temporal.client.WorkflowClient.start(
        wf::run, FileDownloadInput.of(pipeline(2, 50), LOGICAL_DATE));
    assertThat(share.holding.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    io.temporal.client.WorkflowStub stub = io.temporal.client.WorkflowStub.fromTyped(wf);
    stub.cancel();

    assertThatThrownBy(() -> stub.getResult(FileDownloadResult.class))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e ->
                assertThat(e.getCause())
                    .isInstanceOf(io.temporal.failure.CanceledFailure.class));
    assertThat(share.discarded).containsExactly(LAKE + "/_sluice/incoming/" + RUN_KEY);
    assertThat(leases.events).containsExactly("claim " + RUN_KEY, "release " + RUN_KEY);
    Histories.keep(client, WORKFLOW_ID, "filedownload-cancelled-discarded.json");
  }

  @Test
  void givenMoreRangesThanOneExecutionStarts_whenRun_thenContinuesAsNewAndEveryFileLandsOnce() {
    int files = 2 * FileDownloadWorkflowImpl.RANGES_PER_EXECUTION + 1;
    share.files = files;

    FileDownloadResult result = run(pipeline(50, 1));

    assertThat(result.executions()).isEqualTo(3);
    assertThat(result.listed()).isEqualTo(files);
    assertThat(result.downloaded()).isEqualTo(files);
    assertThat(result.bytes()).isEqualTo(100L * files);
    // Listed once: later executions carry the staging list's URI and the cursor, not the list.
    assertThat(share.listings).hasSize(1);
    assertEachIndexOnce(files);
    assertThat(share.discarded).hasSize(1);
  }

  @Test
  void rangeSize_isFilesPerTaskOrLessSoThatMaxParallelDownloadsShareTheListing() {
    assertThat(FileDownloadWorkflowImpl.rangeSize(10, source(4, 50))).isEqualTo(3);
    assertThat(FileDownloadWorkflowImpl.rangeSize(1_000, source(4, 50))).isEqualTo(50);
    assertThat(FileDownloadWorkflowImpl.rangeSize(3, source(8, 50))).isEqualTo(1);
    assertThat(FileDownloadWorkflowImpl.rangeSize(0, source(4, 50))).isEqualTo(1);
  }

  private static FilesSource source(int maxParallel, int filesPerTask) {
    return new FilesSource(null, null, "file:///in", null, null, maxParallel, filesPerTask, null);
  }

  private static String rootType(Throwable e) {
    Throwable t = e;
    String type = null;
    while (t != null) {
      if (t instanceof ApplicationFailure a) {
        type = a.getType();
      }
      t = t.getCause();
    }
    return type;
  }
}
