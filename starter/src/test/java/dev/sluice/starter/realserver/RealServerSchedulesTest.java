package dev.sluice.starter.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.starter.cli.CliRun;
import dev.sluice.starter.dev.TemporalDevServer;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code sluice schedule} subcommand against real Temporal Schedules: the pinned dev server
 * ({@link RealTemporal}) and a worker in this JVM whose provider answers at once and records each
 * submit's logical date. Each test has its own pipeline name, so its runs are its own.
 *
 * <p>Schedules that must not fire on their own during a test are paused, or fire once a year:
 * triggers and backfills run regardless of pause.
 */
@ExtendWith(RealTemporal.class)
class RealServerSchedulesTest {
  private static final String QUEUE = "realserver-schedules";

  @TempDir static Path dir;

  static TemporalDevServer server;
  static RecordingWorker worker;
  static ScheduleClient schedules;

  @BeforeAll
  static void startWorker(TemporalDevServer shared) {
    server = shared;
    worker = new RecordingWorker(server, QUEUE);
    schedules =
        ScheduleClient.newInstance(
            worker.service,
            ScheduleClientOptions.newBuilder().setNamespace(TemporalDevServer.NAMESPACE).build());
  }

  @AfterAll
  static void stopWorker() {
    worker.close();
  }

  @Test
  void givenOverlapCatchUpAndPauseOnFailure_whenCreated_thenTheServerKeepsAndDescribesThem()
      throws IOException {
    Path file = RecordingWorker.pipeline(dir, "created");

    CliRun created =
        sluice(
            "schedule", "create", file.toString(), "--id", "created", "--cron", "0 2 * * *",
            "--overlap", "buffer-all", "--catchup-window", "10m", "--pause-on-failure",
            "--task-queue", QUEUE);
    CliRun described = sluice("schedule", "describe", "created");
    CliRun listed = sluice("schedule", "list");

    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out()).contains("created schedule created");
    ScheduleDescription kept = schedules.getHandle("created").describe();
    assertThat(kept.getSchedule().getPolicy().getOverlap())
        .isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ALL);
    assertThat(kept.getSchedule().getPolicy().getCatchupWindow())
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(kept.getSchedule().getPolicy().isPauseOnFailure()).isTrue();
    assertThat(described.exitCode()).as(described.err()).isZero();
    assertThat(described.out())
        .contains("overlap     buffer-all; catch-up window PT10M; pauses when a run fails")
        .contains("state       active")
        .contains("next        ")
        .contains("on task queue '" + QUEUE + "'");
    assertThat(listed.out()).containsPattern("created\\s+active");

    CliRun again =
        sluice("schedule", "create", file.toString(), "--id", "created", "--every", "1h");
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).contains("a schedule with ID 'created' already exists");
  }

  @Test
  void givenAPausedSchedule_whenTriggered_thenOneRunTakesTheTriggerTimeAsItsLogicalDate()
      throws Exception {
    Path file = RecordingWorker.pipeline(dir, "triggered");
    sluiceOk(
        "schedule", "create", file.toString(), "--id", "triggered", "--cron", "0 2 * * *",
        "--paused", "--task-queue", QUEUE);
    Instant before = Instant.now().minusSeconds(1);

    sluiceOk("schedule", "trigger", "triggered");

    List<String> dates =
        Polling.await("the triggered submit", () -> worker.logicalDates("triggered"), 1);
    assertThat(Instant.parse(dates.get(0))).isBetween(before, Instant.now());
    assertThat(sluice("schedule", "describe", "triggered").out())
        .contains("recent      ")
        .contains("ingest/triggered-");
  }

  @Test
  void givenFiveDailyWindows_whenBackfilled_thenEachRunsOnceInOrderWithItsScheduledTime()
      throws Exception {
    Path file = RecordingWorker.pipeline(dir, "backfilled");
    sluiceOk(
        "schedule", "create", file.toString(), "--id", "backfilled", "--cron", "0 0 * * *",
        "--overlap", "buffer-all", "--paused", "--task-queue", QUEUE);

    CliRun backfill =
        sluice(
            "schedule", "backfill", "backfilled", "--from", "2026-03-01", "--to",
            "2026-03-05T00:00:00Z");

    assertThat(backfill.exitCode()).as(backfill.err()).isZero();
    List<String> expected =
        List.of(
            "2026-03-01T00:00:00Z",
            "2026-03-02T00:00:00Z",
            "2026-03-03T00:00:00Z",
            "2026-03-04T00:00:00Z",
            "2026-03-05T00:00:00Z");
    // buffer-all starts each window after the one before has finished: submits come in order.
    assertThat(Polling.await("five windows", () -> worker.logicalDates("backfilled"), 5))
        .containsExactlyElementsOf(expected);
    List<WorkflowExecutionMetadata> runs =
        awaitRuns(
            "WorkflowId STARTS_WITH 'ingest/backfilled-' AND ExecutionStatus = 'Completed'", 5);
    assertThat(runs)
        .extracting(r -> r.getExecution().getWorkflowId())
        .containsExactlyInAnyOrderElementsOf(
            expected.stream().map(d -> "ingest/backfilled-" + d).toList());
    Thread.sleep(1000);
    assertThat(worker.logicalDates("backfilled")).as("no window ran twice").hasSize(5);
  }

  @Test
  void givenPauseOnFailure_whenARunFails_thenTheServerPausesTheSchedule() throws Exception {
    Path file = RecordingWorker.pipeline(dir, "refused");
    worker.provider.refusing.add("refused");
    // Once a year: the schedule is active, yet fires only when triggered here.
    sluiceOk(
        "schedule", "create", file.toString(), "--id", "refused", "--cron", "0 0 1 1 *",
        "--pause-on-failure", "--task-queue", QUEUE);

    sluiceOk("schedule", "trigger", "refused");

    awaitRuns("WorkflowId STARTS_WITH 'ingest/refused-' AND ExecutionStatus = 'Failed'", 1);
    String described =
        Polling.await(
            "the schedule paused",
            () -> {
              String out = sluice("schedule", "describe", "refused").out();
              return out.contains("state       paused") ? List.of(out) : List.of();
            },
            1)
            .get(0);
    assertThat(described).contains("state       paused");
  }

  @Test
  void givenASchedule_whenPausedAndUnpausedWithNotes_thenItsStateAndNoteFollow()
      throws IOException {
    Path file = RecordingWorker.pipeline(dir, "paused");
    sluiceOk(
        "schedule", "create", file.toString(), "--id", "paused", "--cron", "0 0 1 1 *",
        "--task-queue", QUEUE);

    sluiceOk("schedule", "pause", "paused", "--note", "provider maintenance");
    String whilePaused = sluice("schedule", "describe", "paused").out();
    sluiceOk("schedule", "unpause", "paused", "--note", "maintenance over");
    String afterwards = sluice("schedule", "describe", "paused").out();

    assertThat(whilePaused).contains("state       paused (provider maintenance)");
    assertThat(afterwards).contains("state       active (maintenance over)");
    assertThat(schedules.getHandle("paused").describe().getSchedule().getState().isPaused())
        .isFalse();
  }

  @Test
  void givenASchedule_whenUpdated_thenGivenFlagsReplaceTheirsAndTheRestStays() throws IOException {
    Path file = RecordingWorker.pipeline(dir, "updated");
    sluiceOk(
        "schedule", "create", file.toString(), "--id", "updated", "--cron", "0 2 * * *",
        "--overlap", "skip", "--catchup-window", "5m", "--pause-on-failure", "--task-queue",
        QUEUE);

    CliRun updated =
        sluice(
            "schedule", "update", "updated", file.toString(), "--every", "6h", "--overlap",
            "allow-all", "--no-pause-on-failure");

    assertThat(updated.exitCode()).as(updated.err()).isZero();
    ScheduleDescription now = schedules.getHandle("updated").describe();
    assertThat(now.getSchedule().getSpec().getIntervals()).hasSize(1);
    assertThat(now.getSchedule().getSpec().getIntervals().get(0).getEvery())
        .isEqualTo(Duration.ofHours(6));
    assertThat(now.getSchedule().getSpec().getCronExpressions()).isEmpty();
    assertThat(now.getSchedule().getSpec().getCalendars()).isEmpty();
    assertThat(now.getSchedule().getPolicy().getOverlap())
        .isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL);
    assertThat(now.getSchedule().getPolicy().getCatchupWindow()).isEqualTo(Duration.ofMinutes(5));
    assertThat(now.getSchedule().getPolicy().isPauseOnFailure()).isFalse();
    assertThat(sluice("schedule", "describe", "updated").out())
        .contains("every PT6H")
        .contains("on task queue '" + QUEUE + "'");
  }

  @Test
  void givenASchedule_whenDeleted_thenItIsGoneAndItsRunsStay() throws Exception {
    Path file = RecordingWorker.pipeline(dir, "deleted");
    sluiceOk(
        "schedule", "create", file.toString(), "--id", "deleted", "--cron", "0 2 * * *",
        "--paused", "--task-queue", QUEUE);
    sluiceOk("schedule", "trigger", "deleted");
    awaitRuns("WorkflowId STARTS_WITH 'ingest/deleted-' AND ExecutionStatus = 'Completed'", 1);

    CliRun deleted = sluice("schedule", "delete", "deleted");
    CliRun describedAfter = sluice("schedule", "describe", "deleted");

    assertThat(deleted.out()).contains("deleted schedule deleted");
    assertThat(describedAfter.exitCode()).isEqualTo(3);
    assertThat(describedAfter.err()).contains("no schedule with ID 'deleted'");
    assertThat(awaitRuns("WorkflowId STARTS_WITH 'ingest/deleted-'", 1)).hasSize(1);
  }

  private static CliRun sluice(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--address", server.address(), "--namespace", "default"));
    return CliRun.run(all.toArray(String[]::new));
  }

  private static void sluiceOk(String... args) {
    CliRun run = sluice(args);
    assertThat(run.exitCode()).as("sluice %s: %s", String.join(" ", args), run.err()).isZero();
  }

  private static List<WorkflowExecutionMetadata> awaitRuns(String query, int count)
      throws InterruptedException {
    return Polling.await(query, () -> worker.client.listExecutions(query).toList(), count);
  }
}
