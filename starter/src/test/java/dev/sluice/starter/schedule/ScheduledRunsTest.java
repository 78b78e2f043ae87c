package dev.sluice.starter.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.starter.spec.PipelineLoader;
import dev.sluice.workers.SearchAttributeRegistrar;
import dev.sluice.workflows.asyncingest.AsyncIngestInput;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflow;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflowImpl;
import dev.sluice.workflows.common.SearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs started the way a Schedule starts them (no logical date in the input): they take the time
 * they were scheduled for, or their start time, as logical date. The test server has no Schedules,
 * so the scheduled time is set as Temporal sets it on scheduled runs: the {@code
 * TemporalScheduledStartTime} search attribute, which a real server has built in and the test
 * server needs registered first.
 */
class ScheduledRunsTest {
  private static final String QUEUE = "scheduled";

  TestWorkflowEnvironment env;
  WorkflowClient client;
  RecordingProvider provider;
  PipelineSpec spec;

  @BeforeEach
  void start() throws Exception {
    env = TestWorkflowEnvironment.newInstance();
    env.registerSearchAttribute(
        SearchAttributes.SCHEDULED_START_TIME.getName(),
        IndexedValueType.INDEXED_VALUE_TYPE_DATETIME);
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(AsyncIngestWorkflowImpl.class);
    provider = new RecordingProvider();
    worker.registerActivitiesImplementations(provider);
    env.start();
    client = env.getWorkflowClient();
    try (InputStream in = getClass().getResourceAsStream("/spec/minimal.yaml")) {
      spec =
          new PipelineLoader()
              .load(
                  new String(in.readAllBytes(), StandardCharsets.UTF_8),
                  "minimal.yaml",
                  Path.of("/pipelines"))
              .spec();
    }
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private AsyncIngestWorkflow workflow(WorkflowOptions.Builder options) {
    return client.newWorkflowStub(AsyncIngestWorkflow.class, options.setTaskQueue(QUEUE).build());
  }

  @Test
  void givenAScheduledStartTime_whenTheRunHasNoLogicalDate_thenItsWindowIsTheScheduledTime() {
    OffsetDateTime scheduled = OffsetDateTime.of(2026, 11, 22, 2, 0, 0, 0, ZoneOffset.UTC);
    AsyncIngestWorkflow run =
        workflow(
            WorkflowOptions.newBuilder()
                .setWorkflowId("ingest/minimal-2026-11-22T02:00:00Z")
                .setTypedSearchAttributes(
                    io.temporal.common.SearchAttributes.newBuilder()
                        .set(SearchAttributes.SCHEDULED_START_TIME, scheduled)
                        .build()));

    run.run(AsyncIngestInput.of(spec, null));

    assertThat(provider.submitVars).hasSize(1);
    assertThat(provider.submitVars.get(0)).containsEntry("logicalDate", "2026-11-22T02:00:00Z");
    // Files are named after the window, as a manual `sluice run --logical-date` of the same
    // window would name them, so the two overwrite each other instead of duplicating rows.
    assertThat(provider.submitRunKeys).containsExactly("ingest_minimal_2026-11-22T02-00-00Z");
  }

  @Test
  void givenNoScheduledTime_whenTheRunHasNoLogicalDate_thenItsWindowIsItsStartTime() {
    env.sleep(Duration.ofHours(5)); // away from the epoch, so a wrong date cannot pass by accident
    Instant before = Instant.ofEpochMilli(env.currentTimeMillis());

    workflow(WorkflowOptions.newBuilder().setWorkflowId("ingest/minimal-unscheduled"))
        .run(AsyncIngestInput.of(spec, null));

    Instant logicalDate = Instant.parse(provider.submitVars.get(0).get("logicalDate"));
    assertThat(logicalDate)
        .isBetween(before.truncatedTo(ChronoUnit.SECONDS), before.plusSeconds(5));
  }

  @Test
  void givenAGivenLogicalDate_whenAlsoScheduled_thenTheGivenDateWins() {
    workflow(
            WorkflowOptions.newBuilder()
                .setWorkflowId("ingest/minimal/2026-01-01")
                .setTypedSearchAttributes(
                    io.temporal.common.SearchAttributes.newBuilder()
                        .set(
                            SearchAttributes.SCHEDULED_START_TIME,
                            OffsetDateTime.of(2026, 11, 22, 2, 0, 0, 0, ZoneOffset.UTC))
                        .build()))
        .run(AsyncIngestInput.of(spec, "2026-01-01"));

    assertThat(provider.submitVars.get(0)).containsEntry("logicalDate", "2026-01-01");
  }

  @Test
  void givenAnHourlyCron_whenTwoHoursPass_thenTwoRunsWithTheirOwnHourAsLogicalDate() {
    AsyncIngestWorkflow run =
        workflow(
            WorkflowOptions.newBuilder()
                .setWorkflowId("ingest/minimal")
                .setCronSchedule("0 * * * *"));
    WorkflowClient.start(run::run, AsyncIngestInput.of(spec, null));

    env.sleep(Duration.ofMinutes(150));
    WorkflowStub.fromTyped(run).terminate("test over");

    assertThat(provider.submitVars).hasSizeGreaterThanOrEqualTo(2);
    Instant first = Instant.parse(provider.submitVars.get(0).get("logicalDate"));
    Instant second = Instant.parse(provider.submitVars.get(1).get("logicalDate"));
    assertThat(first.truncatedTo(ChronoUnit.HOURS)).isEqualTo(first);
    assertThat(second).isEqualTo(first.plus(Duration.ofHours(1)));
  }

  @Test
  void givenRegisteredAttributes_whenTheInputAllowsUpserts_thenTheStageIsVisibleWhenDone() {
    SearchAttributeRegistrar.register(env.getWorkflowServiceStubs(), env.getNamespace());
    AsyncIngestWorkflow run =
        workflow(
            WorkflowOptions.newBuilder()
                .setWorkflowId("ingest/minimal/2026-11-22")
                .setTypedSearchAttributes(SearchAttributes.atStart(spec)));

    AsyncIngestResult result =
        run.run(AsyncIngestInput.of(spec, "2026-11-22").withUpsertStage(true));

    var attributes = WorkflowStub.fromTyped(run).describe().getTypedSearchAttributes();
    assertThat(result.rows()).isEqualTo(1);
    assertThat(attributes.get(SearchAttributes.STAGE)).isEqualTo("DONE");
    assertThat(attributes.get(SearchAttributes.PIPELINE)).isEqualTo("minimal");
    assertThat(attributes.get(SearchAttributes.PROVIDER)).isEqualTo("api.example.com");
  }

  @Test
  void givenUnregisteredAttributes_whenTheInputForbidsUpserts_thenTheRunSucceedsWithoutAStage() {
    AsyncIngestWorkflow run =
        workflow(WorkflowOptions.newBuilder().setWorkflowId("ingest/minimal/2026-11-23"));

    run.run(AsyncIngestInput.of(spec, "2026-11-23"));

    var attributes = WorkflowStub.fromTyped(run).describe().getTypedSearchAttributes();
    assertThat(attributes.containsKey(SearchAttributes.STAGE)).isFalse();
    assertThat(provider.submitVars).hasSize(1);
  }
}
