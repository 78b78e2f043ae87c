package dev.sluice.workflows.histories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.workflows.asyncingest.AsyncIngestWorkflowImpl;
import dev.sluice.workflows.batchegress.BatchEgressWorkflowImpl;
import dev.sluice.workflows.batchwindow.BatchWindowWorkflowImpl;
import dev.sluice.workflows.filedownload.FileDownloadWorkflowImpl;
import dev.sluice.workflows.fileingest.FileIngestWorkflowImpl;
import dev.sluice.workflows.platformingest.PlatformIngestWorkflowImpl;
import dev.sluice.workflows.replay.ReplayWorkflowImpl;
import dev.sluice.workflows.workunits.WorkUnitsWorkflowImpl;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every history recorded from earlier versions of the workflows: a change that would break
 * runs already in flight fails here; gate it with {@code Workflow.getVersion}. The one place that
 * lists each recording with its workflow. Recordings are written, once, by the workflows' own
 * tests ({@link Histories#keep}, and the recorders in {@code AsyncIngestReplayTest} and {@code
 * BatchEgressReplayTest}): {@code mvn -pl workflows test -Dsluice.recordHistories=true}.
 */
class RecordedHistoriesReplayTest {

  /** Every recording, by file name, with the workflow implementation that wrote it. */
  static final Map<String, Class<?>> HISTORIES = histories();

  private static Map<String, Class<?>> histories() {
    Map<String, Class<?>> all = new TreeMap<>();
    for (String name :
        List.of(
            "asyncingest-success.json",
            "asyncingest-provider-failed.json",
            "asyncingest-timeout-aborted.json",
            "asyncingest-retried-extract.json",
            "asyncingest-malformed-deleted.json",
            "asyncingest-windowed-success.json",
            "asyncingest-windowed-malformed-discarded.json",
            "asyncingest-cancelled-waiting.json",
            "asyncingest-sent.json",
            "asyncingest-platform-rejected.json",
            "asyncingest-cancelled-sending.json",
            "asyncingest-deferred.json",
            "asyncingest-rerun.json",
            "asyncingest-head-busy.json",
            "asyncingest-window-busy.json",
            "asyncingest-parts-success.json",
            "asyncingest-permit-waited.json",
            "asyncingest-budget-waited.json",
            "asyncingest-budget-refused.json",
            "asyncingest-server-polling-success.json",
            // A submit that failed, recorded before the receipt read (abort-unanswered-submit).
            "asyncingest-submit-failed-before-receipt-read.json",
            "asyncingest-submit-lost-aborted.json")) {
      all.put(name, AsyncIngestWorkflowImpl.class);
    }
    for (String name :
        List.of(
            "batchegress-success.json",
            "batchegress-platform-failed.json",
            "batchegress-timeout-aborted.json",
            "batchegress-retried-upload.json",
            "batchegress-cancelled-aborted.json",
            "batchegress-cancelled-uploading.json",
            "batchegress-status-down-deadline.json")) {
      all.put(name, BatchEgressWorkflowImpl.class);
    }
    for (String name :
        List.of(
            "fileingest-success.json",
            "fileingest-malformed-discarded.json",
            "fileingest-cancelled-discarded.json")) {
      all.put(name, FileIngestWorkflowImpl.class);
    }
    for (String name :
        List.of(
            "filedownload-success.json",
            "filedownload-file-failed.json",
            "filedownload-window-busy.json",
            "filedownload-listing-failed.json",
            "filedownload-cancelled-discarded.json")) {
      all.put(name, FileDownloadWorkflowImpl.class);
    }
    for (String name : List.of("workunits-success.json", "workunits-unit-failed.json")) {
      all.put(name, WorkUnitsWorkflowImpl.class);
    }
    for (String name :
        List.of(
            "platformingest-success.json",
            "platformingest-rerun.json",
            "platformingest-deferred.json",
            "platformingest-sent.json",
            "platformingest-snapshot-empty.json",
            "platformingest-source-batch-failed.json",
            "platformingest-not-settled.json",
            "platformingest-settle-check-down.json",
            "platformingest-platform-rejected.json",
            "platformingest-cancelled-reading.json",
            "platformingest-cancelled-sending.json")) {
      all.put(name, PlatformIngestWorkflowImpl.class);
    }
    for (String name :
        List.of(
            "batchwindow-success.json",
            "batchwindow-load-failed.json",
            "batchwindow-load-and-journal-failed.json")) {
      all.put(name, BatchWindowWorkflowImpl.class);
    }
    for (String name :
        List.of(
            "replay-success.json",
            "replay-window-failed.json",
            "replay-platform.json",
            "replay-cancelled.json",
            "replay-invalid-range.json")) {
      all.put(name, ReplayWorkflowImpl.class);
    }
    return all;
  }

  /**
   * The workflow IDs of recordings whose commands derive from it (a work-units run names its
   * children after itself): they replay under that ID, not the replayer's placeholder.
   */
  static final Map<String, String> WORKFLOW_IDS =
      Map.of(
          "workunits-success.json", "ingest/responses/2026-11-22",
          "workunits-unit-failed.json", "ingest/responses/2026-11-22",
          // A grant names its holder: the signal in the history matches only the same ID.
          "asyncingest-permit-waited.json", "ingest/c/2026-11-22");

  private static TestWorkflowEnvironment env;
  private static Worker worker;

  /**
   * One worker knowing every workflow. Its deadlock detection is relaxed: the first replay in a
   * cold JVM loads classes inside the workflow thread, which on a busy machine can take longer
   * than the default second without any workflow code being at fault.
   */
  @BeforeAll
  static void startWorker() {
    env = TestWorkflowEnvironment.newInstance();
    worker =
        env.newWorker(
            "replay", WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(30_000).build());
    worker.registerWorkflowImplementationTypes(
        HISTORIES.values().stream().distinct().toArray(Class<?>[]::new));
  }

  @AfterAll
  static void stopWorker() {
    env.close();
  }

  static Stream<Arguments> recordings() {
    return HISTORIES.entrySet().stream()
        .map(e -> Arguments.of(e.getKey(), e.getValue().getSimpleName()));
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("recordings")
  void givenRecordedHistory_whenReplayed_thenCurrentCodeMakesTheSameDecisions(
      String name, String workflow) throws Exception {
    String json = Files.readString(Histories.DIR.resolve(name));
    WorkflowExecutionHistory history =
        WORKFLOW_IDS.containsKey(name)
            ? WorkflowExecutionHistory.fromJson(json, WORKFLOW_IDS.get(name))
            : WorkflowExecutionHistory.fromJson(json);
    WorkflowReplayer.replayWorkflowExecution(history, worker);
  }

  @Test
  void everyRecordingIsListedWithItsWorkflow() throws IOException {
    try (Stream<java.nio.file.Path> files = Files.list(Histories.DIR)) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted())
          .as("recordings in %s", Histories.DIR)
          .containsExactlyElementsOf(HISTORIES.keySet());
    }
  }
}
