package dev.sluice.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.starter.spec.PipelineLoader;
import dev.sluice.workflows.asyncingest.AsyncIngestInput;
import dev.sluice.workflows.common.SearchAttributes;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What {@code schedule create|update} flags mean, checked on the objects sent to Temporal. */
class ScheduleDefinitionsTest {
  @TempDir Path dir;
  Path file;
  PipelineSpec spec;

  @BeforeEach
  void pipeline() throws Exception {
    file = CliRun.minimalPipeline(dir);
    spec = new PipelineLoader().load(file).spec();
  }

  private Schedule create(boolean searchAttributes, String... flags) {
    String[] args = new String[flags.length + 5];
    args[0] = "schedule";
    args[1] = "create";
    args[2] = file.toString();
    args[3] = "--id";
    args[4] = "minimal-nightly";
    System.arraycopy(flags, 0, args, 5, flags.length);
    ScheduleCreateCommand command = CliRun.parse(args);
    return ScheduleDefinitions.create(
        command.flags, spec, command.queue.taskQueue(), searchAttributes);
  }

  @Test
  void givenCronAndPolicies_whenCreated_thenSpecPolicyAndStateSayExactlyThat() {
    Schedule schedule =
        create(
            false,
            "--cron",
            "0 2 * * *",
            "--overlap",
            "buffer-one",
            "--catchup-window",
            "6h",
            "--jitter",
            "5m",
            "--paused",
            "--pause-on-failure",
            "--note",
            "waiting for credentials");

    assertThat(schedule.getSpec().getCronExpressions()).containsExactly("0 2 * * *");
    assertThat(schedule.getSpec().getIntervals()).isEmpty();
    assertThat(schedule.getSpec().getJitter()).isEqualTo(Duration.ofMinutes(5));
    assertThat(schedule.getPolicy().getOverlap())
        .isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE);
    assertThat(schedule.getPolicy().getCatchupWindow()).isEqualTo(Duration.ofHours(6));
    assertThat(schedule.getPolicy().isPauseOnFailure()).isTrue();
    assertThat(schedule.getState().isPaused()).isTrue();
    assertThat(schedule.getState().getNote()).isEqualTo("waiting for credentials");
  }

  @Test
  void givenEvery_whenCreated_thenOneIntervalAndTemporalDefaultsForTheRest() {
    Schedule schedule = create(false, "--every", "PT90M");

    assertThat(schedule.getSpec().getIntervals())
        .containsExactly(new ScheduleIntervalSpec(Duration.ofMinutes(90)));
    assertThat(schedule.getSpec().getCronExpressions()).isEmpty();
    // The SDK's default is Temporal's (skip); the catch-up window is left to the server (a year).
    assertThat(schedule.getPolicy().getOverlap())
        .isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP);
    assertThat(schedule.getPolicy().getCatchupWindow()).isNull();
    assertThat(schedule.getPolicy().isPauseOnFailure()).isFalse();
    assertThat(schedule.getState().isPaused()).isFalse();
  }

  @Test
  void givenEachOverlapName_whenParsed_thenItsTemporalPolicy() {
    String[][] names = {
      {"skip", "SCHEDULE_OVERLAP_POLICY_SKIP"},
      {"buffer-one", "SCHEDULE_OVERLAP_POLICY_BUFFER_ONE"},
      {"buffer-all", "SCHEDULE_OVERLAP_POLICY_BUFFER_ALL"},
      {"cancel-other", "SCHEDULE_OVERLAP_POLICY_CANCEL_OTHER"},
      {"terminate-other", "SCHEDULE_OVERLAP_POLICY_TERMINATE_OTHER"},
      {"allow-all", "SCHEDULE_OVERLAP_POLICY_ALLOW_ALL"}
    };
    for (String[] name : names) {
      assertThat(
              create(false, "--every", "1h", "--overlap", name[0]).getPolicy().getOverlap().name())
          .as(name[0])
          .isEqualTo(name[1]);
    }
  }

  @Test
  void givenAnyFlags_whenCreated_thenTheActionStartsTheWorkflowWithoutALogicalDate() {
    Schedule schedule = create(false, "--every", "1h", "--task-queue", "ingest-eu");

    ScheduleActionStartWorkflow action = (ScheduleActionStartWorkflow) schedule.getAction();
    assertThat(action.getWorkflowType()).isEqualTo("AsyncIngestWorkflow");
    assertThat(action.getOptions().getWorkflowId()).isEqualTo("ingest/minimal");
    assertThat(action.getOptions().getTaskQueue()).isEqualTo("ingest-eu");
    assertThat(action.getOptions().getMemo()).containsEntry("pipeline", "minimal");
    assertThat(action.getOptions().getMemo().get("summary").toString())
        .startsWith("api.example.com \u2192 ");
    // Without registered attributes the runs carry none: a start naming one would be refused.
    assertThat(action.getOptions().getTypedSearchAttributes()).isNull();
    AsyncIngestInput input = action.getArguments().get(0, AsyncIngestInput.class);
    assertThat(input.logicalDate()).isNull();
    assertThat(input.upsertStage()).isFalse();
    assertThat(input.pipeline()).isEqualTo(spec);
  }

  @Test
  void givenRegisteredSearchAttributes_whenCreated_thenRunsCarryThemAndUpsertTheirStage() {
    ScheduleActionStartWorkflow action =
        (ScheduleActionStartWorkflow) create(true, "--every", "1h").getAction();

    var attributes = action.getOptions().getTypedSearchAttributes();
    assertThat(attributes.get(SearchAttributes.PIPELINE)).isEqualTo("minimal");
    assertThat(attributes.get(SearchAttributes.KIND)).isEqualTo("async-ingest");
    assertThat(attributes.get(SearchAttributes.PROVIDER)).isEqualTo("api.example.com");
    assertThat(action.getArguments().get(0, AsyncIngestInput.class).upsertStage()).isTrue();
  }

  @Test
  void givenNeitherCronNorEvery_whenCreated_thenRefusedWithoutAServer() {
    CliRun run =
        CliRun.run("schedule", "create", file.toString(), "--id", "x", "--address", "127.0.0.1:1");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("--cron EXPR or --every DURATION");
  }

  @Test
  void givenCronAndEvery_whenParsed_thenUsageError() {
    assertThatThrownBy(
            () ->
                CliRun.parse(
                    "schedule",
                    "create",
                    file.toString(),
                    "--id",
                    "x",
                    "--cron",
                    "@daily",
                    "--every",
                    "1h"))
        .isInstanceOf(CommandLine.MutuallyExclusiveArgsException.class);
  }

  @Test
  void givenBadOverlapOrDuration_whenRun_thenExit2NamingTheFlag() {
    CliRun overlap =
        CliRun.run(
            "schedule",
            "create",
            file.toString(),
            "--id",
            "x",
            "--every",
            "1h",
            "--overlap",
            "queue");
    CliRun every = CliRun.run("schedule", "create", file.toString(), "--id", "x", "--every", "0s");

    assertThat(overlap.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(overlap.err()).contains("--overlap").contains("buffer-one");
    assertThat(every.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(every.err()).contains("--every");
  }

  @Test
  void givenInvalidPipeline_whenCreating_thenExit2WithTheProblemsBeforeAnyConnection()
      throws Exception {
    Path broken = dir.resolve("broken.yaml");
    java.nio.file.Files.writeString(broken, "name: Not A Valid Name\nsource: {}\n");

    // Port 1 has no server: had the command tried to connect, it would say so and exit 3.
    CliRun run =
        CliRun.run(
            "schedule",
            "create",
            broken.toString(),
            "--id",
            "x",
            "--every",
            "1h",
            "--address",
            "127.0.0.1:1");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err())
        .contains("broken.yaml: ")
        .contains("problem")
        .doesNotContain("cannot reach");
  }

  @Test
  void givenOnlyAJitter_whenUpdated_thenWhenItRunsAndItsQueueStay() {
    Schedule existing =
        create(false, "--cron", "0 2 * * *", "--task-queue", "ingest-eu", "--overlap", "skip");
    ScheduleUpdateCommand update =
        CliRun.parse("schedule", "update", "minimal-nightly", file.toString(), "--jitter", "1m");

    Schedule updated = ScheduleDefinitions.update(existing, update.flags, spec, null, false);

    assertThat(updated.getSpec().getCronExpressions()).containsExactly("0 2 * * *");
    assertThat(updated.getSpec().getJitter()).isEqualTo(Duration.ofMinutes(1));
    assertThat(updated.getPolicy().getOverlap())
        .isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP);
    assertThat(((ScheduleActionStartWorkflow) updated.getAction()).getOptions().getTaskQueue())
        .isEqualTo("ingest-eu");
  }

  @Test
  void givenNoPauseOnFailure_whenUpdated_thenOnlyThatPolicyChanges() {
    Schedule existing =
        create(false, "--cron", "0 2 * * *", "--pause-on-failure", "--catchup-window", "1h");
    ScheduleUpdateCommand keep =
        CliRun.parse("schedule", "update", "minimal-nightly", file.toString());
    ScheduleUpdateCommand off =
        CliRun.parse(
            "schedule", "update", "minimal-nightly", file.toString(), "--no-pause-on-failure");

    Schedule kept = ScheduleDefinitions.update(existing, keep.flags, spec, null, false);
    Schedule turnedOff = ScheduleDefinitions.update(existing, off.flags, spec, null, false);

    assertThat(kept.getPolicy().isPauseOnFailure()).isTrue();
    assertThat(turnedOff.getPolicy().isPauseOnFailure()).isFalse();
    assertThat(turnedOff.getPolicy().getCatchupWindow()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void givenEvery_whenUpdatingACronSchedule_thenTheIntervalReplacesTheCron() {
    Schedule existing = create(false, "--cron", "0 2 * * *");
    ScheduleUpdateCommand update =
        CliRun.parse("schedule", "update", "minimal-nightly", file.toString(), "--every", "6h");

    Schedule updated = ScheduleDefinitions.update(existing, update.flags, spec, "sluice", false);

    assertThat(updated.getSpec().getCronExpressions()).isEmpty();
    assertThat(updated.getSpec().getIntervals())
        .containsExactly(new ScheduleIntervalSpec(Duration.ofHours(6)));
  }

  @Test
  void givenFromAndTo_whenBackfillParsed_thenDatesMeanUtcMidnightAndOverlapIsKept() {
    ScheduleCommand.Backfill backfill =
        CliRun.parse(
            "schedule",
            "backfill",
            "minimal-nightly",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-03T12:00:00Z",
            "--overlap",
            "allow-all");

    var request = ScheduleCommand.Backfill.backfill(backfill.from, backfill.to, backfill.overlap);

    assertThat(request.getStartAt()).isEqualTo(java.time.Instant.parse("2026-11-01T00:00:00Z"));
    assertThat(request.getEndAt()).isEqualTo(java.time.Instant.parse("2026-11-03T12:00:00Z"));
    assertThat(request.getOverlapPolicy())
        .isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL);
    assertThat(List.of(backfill.id)).containsExactly("minimal-nightly");
  }
}
