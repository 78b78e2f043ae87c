package dev.sluice.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import org.junit.jupiter.api.Test;

class ListCommandTest {

  @Test
  void givenManualAndScheduledRuns_whenMatchingPipeline_thenBothFormsOfItsIdMatch() {
    assertThat(ListFilter.isRunOf("ingest/contacts/2026-11-22", "contacts")).isTrue();
    assertThat(ListFilter.isRunOf("ingest/contacts-2026-11-22T02:00:00Z", "contacts")).isTrue();
    assertThat(ListFilter.isRunOf("replay/contacts/2026-11-01T00:00:00Z/2026-11-03T00:00:00Z",
            "contacts"))
        .isTrue();
  }

  @Test
  void givenPipelineWhoseNameExtendsAnother_whenMatching_thenNotMistakenForIt() {
    assertThat(ListFilter.isRunOf("ingest/contacts-eu-2026-11-22T02:00:00Z", "contacts"))
        .isFalse();
    assertThat(ListFilter.isRunOf("ingest/contacts-eu/2026-11-22", "contacts")).isFalse();
    assertThat(ListFilter.isRunOf("ingest/contacts-eu/2026-11-22", "contacts-eu")).isTrue();
  }

  @Test
  void givenAWindow_whenMatching_thenManualScheduledAndUnitRunsOfItMatch_notOthers() {
    assertThat(ListFilter.isOfWindow("ingest/contacts/2026-11-22", "2026-11-22")).isTrue();
    assertThat(
            ListFilter.isOfWindow(
                "ingest/contacts-2026-11-22T02:00:00Z", "2026-11-22T02:00:00Z"))
        .isTrue();
    assertThat(ListFilter.isOfWindow("ingest/units/2026-11-22/unit=eu", "2026-11-22")).isTrue();
    assertThat(ListFilter.isOfWindow("ingest/contacts/2026-11-21", "2026-11-22")).isFalse();
  }

  @Test
  void givenNoFilters_whenQuerying_thenEveryShapeIsListed() {
    // Every pipeline-run type (RunKind) first, then replays, ingest requests and batch windows.
    assertThat(new ListFilter(null, null, null, null, null).query(false))
        .startsWith("WorkflowType IN ('AsyncIngestWorkflow', 'PlatformIngestWorkflow'")
        .contains("'WorkUnitsWorkflow'")
        .contains("'ReplayWorkflow'")
        .contains("'FileIngestWorkflow'")
        .contains("'BatchWindowWorkflow'");
  }

  @Test
  void givenRegisteredAttributes_whenQuerying_thenOlderRunsFoundByIdToo() {
    assertThat(
            new ListFilter(
                    "contacts",
                    null,
                    null,
                    WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
                    null)
                .query(true))
        .contains(
            "(SluicePipeline = 'contacts' OR WorkflowId STARTS_WITH 'ingest/contacts' OR"
                + " WorkflowId STARTS_WITH 'replay/contacts/')")
        .contains("ExecutionStatus = 'Running'");
  }

  @Test
  void givenKindAndStage_whenQuerying_thenOneWorkflowTypeAndTheStageAttribute() {
    assertThat(new ListFilter(null, "file-download", "WAITING", null, null).query(true))
        .isEqualTo("WorkflowType IN ('FileDownloadWorkflow') AND SluiceStage = 'WAITING'");
  }

  @Test
  void givenFilterFlags_whenParsed_thenTheyReachTheCommand() {
    ListCommand list =
        CliRun.parse(
            "list",
            "--kind",
            "batch-window",
            "--stage",
            "waiting",
            "--status",
            "timed-out",
            "--window",
            "2026-11-22",
            "--output",
            "json");

    assertThat(list.kind).isEqualTo("batch-window");
    assertThat(list.stage).isEqualTo("waiting");
    assertThat(list.status).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT);
    assertThat(list.window).isEqualTo("2026-11-22");
    assertThat(list.output.json()).isTrue();
  }

  @Test
  void givenAnUnknownStatusOrKind_whenRun_thenOneLineListingTheValidValues_exit2() {
    CliRun status = CliRun.run("list", "--status", "bogus");
    CliRun kind = CliRun.run("list", "--kind", "bogus");

    assertThat(status.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(status.err().lines().findFirst().orElseThrow())
        .isEqualTo(
            "Invalid value for option '--status': 'bogus' is not a status; use one of running,"
                + " completed, failed, canceled, terminated, timed-out");
    assertThat(status.err()).doesNotContain("java.lang").doesNotContain("WorkflowExecutionStatus");
    assertThat(kind.err().lines().findFirst().orElseThrow())
        .contains("'bogus' is not a kind; use one of async-ingest, batch-window,");
  }

  @Test
  void givenAResult_whenReadingRows_thenItsRowsOrTheSumOfAReplaysWindows() throws Exception {
    ObjectMapper json = new ObjectMapper();

    assertThat(ListedRun.rows(json.readTree("{\"rows\": 1250, \"bytes\": 9}"))).contains(1250L);
    assertThat(
            ListedRun.rows(
                json.readTree("{\"windows\": [{\"rows\": 3}, {\"rows\": 4}, {\"error\": \"x\"}]}")))
        .contains(7L);
    assertThat(ListedRun.rows(json.readTree("{\"load\": {\"rows\": 12}, \"files\": []}")))
        .contains(12L);
    assertThat(ListedRun.rows(json.readTree("{\"downloaded\": 3}"))).isEmpty();
  }
}
