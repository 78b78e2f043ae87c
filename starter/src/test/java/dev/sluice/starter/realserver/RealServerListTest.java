package dev.sluice.starter.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.starter.cli.CliRun;
import dev.sluice.starter.cli.PipelineRuns;
import dev.sluice.starter.dev.TemporalDevServer;
import dev.sluice.starter.spec.PipelineLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice list} against real visibility: runs of three pipelines (one whose name extends
 * another's, one whose provider refuses), started as {@code sluice run} starts them, with Sluice's
 * search attributes, and listed with each filter.
 */
@ExtendWith(RealTemporal.class)
class RealServerListTest {
  @TempDir static Path dir;

  static TemporalDevServer server;
  static RecordingWorker worker;

  @BeforeAll
  static void runThreePipelines(TemporalDevServer shared) throws Exception {
    server = shared;
    worker = new RecordingWorker(server, "realserver-list");
    worker.provider.refusing.add("listed-b");
    start("listed-a", "2026-05-01");
    start("listed-a", "2026-05-02");
    start("listed-a-eu", "2026-05-01");
    start("listed-b", "2026-05-01");
    Polling.await(
        "four closed runs in visibility",
        () ->
            worker
                .client
                .listExecutions(
                    "WorkflowId STARTS_WITH 'ingest/listed-' AND ExecutionStatus != 'Running'")
                .toList(),
        4);
  }

  @AfterAll
  static void stopWorker() {
    worker.close();
  }

  private static void start(String pipeline, String logicalDate) throws Exception {
    PipelineSpec spec =
        new PipelineLoader().load(RecordingWorker.pipeline(dir, pipeline)).spec();
    PipelineRuns.start(worker.client, worker.queue, spec, logicalDate);
  }

  @Test
  void givenAPipeline_whenListed_thenOnlyItsRunsNewestFirst_notThoseOfALongerName() {
    CliRun listed = sluice("list", "--pipeline", "listed-a");

    assertThat(listed.exitCode()).as(listed.err()).isZero();
    assertThat(listed.err()).as("a real visibility query, no fallback note").isEmpty();
    assertThat(ids(listed))
        .containsExactlyInAnyOrder("ingest/listed-a/2026-05-01", "ingest/listed-a/2026-05-02");
    assertThat(listed.out()).contains("completed").doesNotContain("listed-a-eu");
  }

  @Test
  void givenAStatus_whenListed_thenOnlyRunsInThatState() {
    CliRun failed = sluice("list", "--pipeline", "listed-b", "--status", "failed");
    CliRun noneFailed = sluice("list", "--pipeline", "listed-a", "--status", "failed");
    CliRun completed = sluice("list", "--status", "completed");

    assertThat(ids(failed)).containsExactly("ingest/listed-b/2026-05-01");
    assertThat(failed.out()).contains("failed");
    assertThat(noneFailed.out().strip()).isEqualTo("no runs");
    assertThat(ids(completed))
        .contains("ingest/listed-a/2026-05-01", "ingest/listed-a-eu/2026-05-01")
        .doesNotContain("ingest/listed-b/2026-05-01");
  }

  @Test
  void givenALimit_whenListed_thenAtMostThatMany_andClosedRunsShowTheirCloseTime() {
    CliRun one = sluice("list", "--pipeline", "listed-a", "--limit", "1");

    assertThat(ids(one)).hasSize(1);
    assertThat(one.out().lines().skip(1).findFirst().orElseThrow())
        .as("START, then a CLOSE time (not '-'), a duration and the rows landed")
        .matches(
            ".*\\d{4}-\\d{2}-\\d{2}T\\S+Z\\s+\\d{4}-\\d{2}-\\d{2}T\\S+Z\\s+[0-9.]+[smh]\\S*\\s+\\d+\\s*");
  }

  @Test
  void givenAWindow_whenListed_thenOnlyThatWindowsRuns_ofEveryPipeline() {
    CliRun window = sluice("list", "--window", "2026-05-01");
    CliRun both = sluice("list", "--window", "2026-05-02", "--pipeline", "listed-a");

    assertThat(window.exitCode()).as(window.err()).isZero();
    assertThat(ids(window))
        .containsExactlyInAnyOrder(
            "ingest/listed-a/2026-05-01", "ingest/listed-a-eu/2026-05-01", "ingest/listed-b/2026-05-01");
    assertThat(ids(both)).containsExactly("ingest/listed-a/2026-05-02");
  }

  @Test
  void givenAKind_whenListed_thenOnlyRunsOfThatShape() {
    CliRun async = sluice("list", "--kind", "async-ingest", "--pipeline", "listed-a-eu");
    CliRun replays = sluice("list", "--kind", "replay");
    CliRun windows = sluice("list", "--kind", "batch-window");

    assertThat(ids(async)).containsExactly("ingest/listed-a-eu/2026-05-01");
    assertThat(async.out()).contains("async-ingest");
    assertThat(replays.out().strip()).isEqualTo("no runs");
    assertThat(windows.exitCode()).as(windows.err()).isZero();
  }

  @Test
  void givenAStage_whenListed_thenBySluiceStage() throws Exception {
    CliRun json = sluice("list", "--pipeline", "listed-a", "--output", "json");
    String stage = new ObjectMapper().readTree(json.out()).get(0).get("stage").asText();

    CliRun atStage = sluice("list", "--pipeline", "listed-a", "--stage", stage);
    CliRun noneAtStage = sluice("list", "--pipeline", "listed-a", "--stage", "waiting");

    assertThat(stage).as(json.out()).isNotBlank().isNotEqualTo("null");
    assertThat(ids(atStage)).hasSize(2);
    assertThat(noneAtStage.out().strip()).isEqualTo("no runs");
  }

  @Test
  void givenJsonOutput_whenListed_thenEachRunWithItsKindTimesDurationAndRows() throws Exception {
    CliRun listed = sluice("list", "--pipeline", "listed-b", "--output", "json");
    CliRun completed = sluice("list", "--pipeline", "listed-a-eu", "--output", "json");

    assertThat(listed.exitCode()).as(listed.err()).isZero();
    JsonNode failed = new ObjectMapper().readTree(listed.out()).get(0);
    assertThat(failed.get("id").asText()).isEqualTo("ingest/listed-b/2026-05-01");
    assertThat(failed.get("kind").asText()).isEqualTo("async-ingest");
    assertThat(failed.get("status").asText()).isEqualTo("failed");
    assertThat(failed.get("close").asText()).matches("\\d{4}-.*Z");
    assertThat(failed.get("durationSeconds").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(failed.get("rows").isNull()).as("a failed run landed no rows").isTrue();
    JsonNode done = new ObjectMapper().readTree(completed.out()).get(0);
    assertThat(done.get("rows").isNumber()).as(completed.out()).isTrue();
  }

  @Test
  void givenRunsStartedByTheCli_whenQueriedBySearchAttribute_thenTheyCarryTheirPipeline() {
    assertThat(
            worker.client.listExecutions("SluicePipeline = 'listed-a'").map(
                r -> r.getExecution().getWorkflowId()))
        .containsExactlyInAnyOrder("ingest/listed-a/2026-05-01", "ingest/listed-a/2026-05-02");
  }

  @Test
  void givenACompletedRun_whenCancelled_thenExit3SayingItEnded() {
    CliRun cancel = sluice("cancel", "ingest/listed-a/2026-05-01");

    assertThat(cancel.exitCode()).isEqualTo(3);
    assertThat(cancel.err())
        .isEqualTo(
            "run ingest/listed-a/2026-05-01 has already ended (completed); nothing to cancel"
                + System.lineSeparator());
  }

  private static CliRun sluice(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--address", server.address()));
    return CliRun.run(all.toArray(String[]::new));
  }

  /** The first column of a {@code list} table. */
  private static List<String> ids(CliRun listed) {
    return listed
        .out()
        .lines()
        .skip(1)
        .map(line -> line.split("\\s+")[0])
        .filter(id -> id.startsWith("ingest/"))
        .toList();
  }
}
