package dev.sluice.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import org.junit.jupiter.api.Test;

class ListCommandTest {

  @Test
  void givenManualAndScheduledRuns_whenMatchingPipeline_thenBothFormsOfItsIdMatch() {
    assertThat(ListCommand.isRunOf("ingest/contacts/2026-11-22", "contacts")).isTrue();
    assertThat(ListCommand.isRunOf("ingest/contacts-2026-11-22T02:00:00Z", "contacts")).isTrue();
  }

  @Test
  void givenPipelineWhoseNameExtendsAnother_whenMatching_thenNotMistakenForIt() {
    assertThat(ListCommand.isRunOf("ingest/contacts-eu-2026-11-22T02:00:00Z", "contacts"))
        .isFalse();
    assertThat(ListCommand.isRunOf("ingest/contacts-eu/2026-11-22", "contacts")).isFalse();
    assertThat(ListCommand.isRunOf("ingest/contacts-eu/2026-11-22", "contacts-eu")).isTrue();
  }

  @Test
  void givenNoFilters_whenQuerying_thenRunsOfBothPipelineWorkflowsAreListed() {
    // Every pipeline-run type (RunKind); work-units runs too, whose children are async ingests.
    assertThat(ListCommand.query(null, null, false))
        .startsWith("WorkflowType IN ('AsyncIngestWorkflow', 'PlatformIngestWorkflow'")
        .contains("'WorkUnitsWorkflow'");
  }

  @Test
  void givenRegisteredAttributes_whenQuerying_thenOlderRunsFoundByIdToo() {
    assertThat(
            ListCommand.query(
                "contacts", WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, true))
        .contains("(SluicePipeline = 'contacts' OR WorkflowId STARTS_WITH 'ingest/contacts')")
        .contains("ExecutionStatus = 'Running'");
  }
}
