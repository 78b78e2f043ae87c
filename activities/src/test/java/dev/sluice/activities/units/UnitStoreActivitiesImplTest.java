package dev.sluice.activities.units;

import dev.sluice.activities.http.ProviderClients;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.parquet.TableFormats;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.AuthSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.RequestSpec;
import dev.sluice.pipeline.UnitsSpec;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.UnitMessages.PlanPageRequest;
import dev.sluice.workflows.activities.UnitMessages.PlanRequest;
import dev.sluice.workflows.activities.UnitMessages.SummaryRequest;
import dev.sluice.workflows.activities.UnitMessages.UnitOutcome;
import dev.sluice.workflows.activities.UnitMessages.UnitPlan;
import dev.sluice.workflows.activities.UnitMessages.UnitStatus;
import dev.sluice.workflows.activities.UnitMessages.UnitsSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unit store on the local file system; the HTTP list from the sandbox's survey endpoint. */
class UnitStoreActivitiesImplTest {
  private static final Map<String, String> VARS =
      Map.of("pipeline", "p", "logicalDate", "2026-11-22");
  private static final String WINDOW = "ingest_p_2026-11-22";

  @TempDir Path dir;

  private UnitStoreActivitiesImpl store(Map<String, String> env) {
    return new UnitStoreActivitiesImpl(
        new ProviderClients(
            new OkHttpClient(),
            new ObjectMapper(),
            new SecretResolver(env::get, "test-worker"),
            new SimpleMeterRegistry()),
        new HadoopFiles(HadoopFiles.defaultConfiguration()),
        TableFormats.parquet(
            new HadoopFiles(HadoopFiles.defaultConfiguration()), java.time.Clock.systemUTC()));
  }

  private ParquetSink table() {
    return new ParquetSink(dir.resolve("table").toUri().toString(), null, null, null, null, null);
  }

  private String planUri(String name) {
    return dir.resolve("table/_sluice/units/plans/" + name + ".json").toUri().toString();
  }

  private static UnitsSpec fileUnits(String uri, String format, String field, int maxPerRun) {
    return new UnitsSpec(
        null, null, null, field, uri, format, "survey", null, null, maxPerRun, null);
  }

  private UnitOutcome outcome(String unit, UnitStatus status, String error) {
    return new UnitOutcome(
        table(),
        unit,
        status,
        status == UnitStatus.DONE ? 12 : 0,
        null,
        error,
        "wf/" + unit,
        "2026-11-22T00:00:00Z");
  }

  @Test
  void givenSandboxSurveys_whenPlannedOverHttp_thenEverySurveyIsPendingAndReadInPages() {
    SandboxConfig config = SandboxConfig.defaults().withPort(0);
    try (SandboxServer sandbox = SandboxServer.start(config)) {
      sandbox.generic().surveys().count(3);
      UnitsSpec units =
          new UnitsSpec(
              "http",
              new RequestSpec(
                  null, "${env:BASE}/generic/surveys?for=${logicalDate}", Map.of(), null),
              "/surveys",
              "id",
              null,
              null,
              "survey",
              null,
              null,
              null,
              null);
      AuthSpec auth =
          new AuthSpec.ApiKey("X-API-Key", "${env:KEY}");

      UnitPlan plan =
          store(Map.of("BASE", sandbox.baseUrl(), "KEY", config.apiKey()))
              .plan(new PlanRequest(units, auth, VARS, table(), planUri("http"), null));

      assertThat(plan.listed()).isEqualTo(3);
      assertThat(plan.pending()).isEqualTo(3);
      assertThat(plan.planned()).isEqualTo(3);
      assertThat(store(Map.of()).readPlan(new PlanPageRequest(planUri("http"), 1, 5)).units())
          .containsExactly("S-002", "S-003");
    }
  }

  @Test
  void givenWrongApiKey_whenPlannedOverHttp_thenAuthFailedIsNotRetried() {
    SandboxConfig config = SandboxConfig.defaults().withPort(0);
    try (SandboxServer sandbox = SandboxServer.start(config)) {
      UnitsSpec units =
          new UnitsSpec(
              "http",
              new RequestSpec(null, sandbox.baseUrl() + "/generic/surveys", Map.of(), null),
              "/surveys",
              "id",
              null,
              null,
              null,
              null,
              null,
              null,
              null);
      AuthSpec auth =
          new AuthSpec.ApiKey("X-API-Key", "wrong");

      assertThatThrownBy(
              () -> store(Map.of()).plan(new PlanRequest(units, auth, VARS, table(), planUri("x"), null)))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> assertThat(f.getType()).isEqualTo(FailureType.AUTH_FAILED.type()));
    }
  }

  @Test
  void givenRecordedOutcomes_whenPlannedAgain_thenFailedFirstThenPendingAndDoneNotRedone()
      throws Exception {
    Path list = dir.resolve("surveys.csv");
    Files.writeString(list, "title,survey_id\nfirst,A\nsecond,B\nthird,C\nagain,A\nfourth,D\n");
    UnitsSpec units = fileUnits(list.toUri().toString(), "csv", "survey_id", 2);
    UnitStoreActivitiesImpl store = store(Map.of());
    store.record(outcome("A", UnitStatus.DONE, null));
    store.record(outcome("C", UnitStatus.FAILED, "locked"));

    UnitPlan plan = store.plan(new PlanRequest(units, AuthSpec.NONE, VARS, table(), planUri("r"), WINDOW));

    assertThat(plan.listed()).isEqualTo(4);
    assertThat(plan.done()).isEqualTo(1);
    assertThat(plan.failed()).isEqualTo(1);
    assertThat(plan.pending()).isEqualTo(2);
    assertThat(store.readPlan(new PlanPageRequest(planUri("r"), 0, 100)).units())
        .containsExactly("C", "B");

    store.record(outcome("C", UnitStatus.DONE, null));
    UnitsSummary summary = store.summarize(new SummaryRequest(table(), planUri("r"), "survey", 1));
    assertThat(summary.done()).isEqualTo(2);
    assertThat(summary.pending()).isEqualTo(2);
    assertThat(summary.units()).hasSize(1);
    assertThat(summary.units().get(0).partitionUri()).endsWith("/table/survey=C");
    assertThat(summary.truncated()).isTrue();
    assertThat(Files.readString(Path.of(java.net.URI.create(summary.reportUri()))))
        .contains("\"unit\":\"B\"");
    assertThat(Files.readString(dir.resolve("table/_sluice/units/state/C.json")))
        .contains("\"attempts\":2");
  }

  @Test
  void givenDoneUnitsOfTwoWindows_whenAWindowIsPlannedAgain_thenOnlyTheUnitsItCommittedComeAgain()
      throws Exception {
    Path list = dir.resolve("surveys.csv");
    Files.writeString(list, "survey\nA\nB\nC\nD\n");
    UnitsSpec units = fileUnits(list.toUri().toString(), "csv", "survey", 0);
    UnitStoreActivitiesImpl store = store(Map.of());
    store.record(outcome("A", UnitStatus.DONE, null));
    store.record(outcome("B", UnitStatus.DONE, null));
    store.record(outcome("C", UnitStatus.FAILED, "locked"));
    // A committed the window 2026-11-22, B another one: their partitions' range records say so.
    Files.createDirectories(dir.resolve("table/survey=A/_sluice/windows"));
    Files.writeString(dir.resolve("table/survey=A/_sluice/windows/" + WINDOW + ".json"), "{}");
    Files.createDirectories(dir.resolve("table/survey=B/_sluice/windows"));
    Files.writeString(dir.resolve("table/survey=B/_sluice/windows/ingest_p_2026-11-23.json"), "{}");

    store.plan(new PlanRequest(units, AuthSpec.NONE, VARS, table(), planUri("again"), WINDOW));
    store.plan(
        new PlanRequest(units, AuthSpec.NONE, VARS, table(), planUri("new"), "ingest_p_2026-11-24"));

    assertThat(store.readPlan(new PlanPageRequest(planUri("again"), 0, 100)).units())
        .as("failed, pending, then this window's own done units")
        .containsExactly("C", "D", "A");
    assertThat(store.readPlan(new PlanPageRequest(planUri("new"), 0, 100)).units())
        .as("a new window redoes no done unit")
        .containsExactly("C", "D");
  }

  @Test
  void givenAUnitWithAWatermark_whenAnOutcomeWithoutOneIsRecorded_thenTheWatermarkIsKept()
      throws Exception {
    UnitStoreActivitiesImpl store = store(Map.of());
    store.record(
        new UnitOutcome(
            table(), "A", UnitStatus.DONE, 5, "2026-03-01T00:00:00Z", null, "wf/A", "t1"));

    store.record(new UnitOutcome(table(), "A", UnitStatus.DONE, 3, null, null, "wf/A", "t2"));

    assertThat(Files.readString(dir.resolve("table/_sluice/units/state/A.json")))
        .contains("\"watermark\":\"2026-03-01T00:00:00Z\"")
        .contains("\"rows\":3");
  }

  @Test
  void givenJsonLinesWithoutTheField_whenPlanned_thenMalformedDataNamesTheLine() throws Exception {
    Path list = dir.resolve("units.ndjson");
    Files.writeString(list, "{\"id\":\"x\"}\n\n{\"name\":\"y\"}\n");
    UnitsSpec units = fileUnits(list.toUri().toString(), "ndjson", "id", 0);

    assertThatThrownBy(
            () ->
                store(Map.of())
                    .plan(new PlanRequest(units, AuthSpec.NONE, VARS, table(), planUri("n"), null)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureType.MALFORMED_DATA.type());
              assertThat(f.getOriginalMessage()).contains("line 3").contains("'id'");
            });
  }

  @Test
  void givenMissingListFile_whenPlanned_thenInvalidPipelineNamesTheUri() {
    UnitsSpec units = fileUnits(dir.resolve("nope.csv").toUri().toString(), "csv", null, 0);

    assertThatThrownBy(
            () ->
                store(Map.of())
                    .plan(new PlanRequest(units, AuthSpec.NONE, VARS, table(), planUri("m"), null)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureType.INVALID_PIPELINE.type());
              assertThat(f.getOriginalMessage()).contains("nope.csv");
            });
  }
}
