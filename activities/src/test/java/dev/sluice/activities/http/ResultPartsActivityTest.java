package dev.sluice.activities.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.auth.MutableClock;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.TestServer.Reply;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.AuthSpec;
import dev.sluice.pipeline.ExtractSpec;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.RequestSpec;
import dev.sluice.pipeline.ResultSpec;
import dev.sluice.pipeline.StatusSpec;
import dev.sluice.pipeline.SubmitSpec;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.HttpJobActivities;
import dev.sluice.workflows.activities.Messages.ExtractRequest;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.PartMessages.PartRequest;
import dev.sluice.workflows.activities.PartMessages.PlanRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code extract.result} of type {@code urls} and {@code partitions} at activity level: the count
 * from a fresh status answer and what is wrong with it, each part's own URL (relative, continued,
 * on another host without credentials), its own staged file names, rows given as arrays.
 */
class ResultPartsActivityTest {
  private final TestServer api = new TestServer();
  private final TestServer bucket = new TestServer();
  private final HttpJobActivitiesImpl jobs =
      new HttpJobActivitiesImpl(
          new ProviderClients(
              new OkHttpClient(),
              new ObjectMapper(),
              new SecretResolver(name -> name.equals("TOKEN") ? "s3cr3t" : null, "w1"),
              new SimpleMeterRegistry(),
              new MutableClock(Instant.parse("2026-12-07T00:00:00Z"))),
          new HadoopFiles(HadoopFiles.defaultConfiguration()));
  private TestActivityEnvironment env;
  private HttpJobActivities parts;

  @TempDir Path dir;

  @BeforeEach
  void start() {
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(jobs);
    parts =
        env.newActivityStub(
            HttpJobActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
  }

  @AfterEach
  void stop() {
    env.close();
    api.close();
    bucket.close();
  }

  private AsyncHttpSource source(ResultSpec result, FormatSpec format) {
    return new AsyncHttpSource(
        new AuthSpec.Bearer("${env:TOKEN}"),
        new SubmitSpec("POST", api.url("/jobs"), null, "{}", null),
        new StatusSpec(
            null, api.url("/jobs/${requestId}"), null, "/state", "^DONE$", null, null, null, null,
            null, null, null),
        new ExtractSpec(null, Map.of(), format, null, null, null, null, result),
        null,
        null, null, null);
  }

  private ExtractRequest request(AsyncHttpSource source) {
    ParquetSink sink = new ParquetSink("file://" + dir + "/table", null, null, null, null, null);
    return new ExtractRequest(
        "run-1", source, Map.of("requestId", "J1"), sink, "file://" + dir + "/staging", null);
  }

  private static ResultSpec.Partitions partitions(String count, String url) {
    return new ResultSpec.Partitions(count, url, null, null, null, null, null, null);
  }

  private void status(String json) {
    api.route("/jobs/J1", call -> Reply.json(200, json));
  }

  private static ApplicationFailure cause(Throwable e) {
    return (ApplicationFailure) ((ActivityFailure) e).getCause();
  }

  @Test
  void givenPartitionInfoArray_whenPlannedAndExtracted_thenCountIsItsSizeAndEachPartItsOwnFiles()
      throws Exception {
    status("{\"state\":\"DONE\",\"meta\":{\"partitionInfo\":[{},{},{}]}}");
    Function<TestServer.Call, Reply> partition =
        call -> {
          String p = call.query().substring("partition=".length());
          return Reply.json(200, "{\"data\":[[\"" + p + "\",\"a" + p + "\"],[\"1" + p + "\",\"b\"]]}");
        };
    api.route("/jobs/J1/rows", partition);
    AsyncHttpSource source =
        source(
            partitions("/meta/partitionInfo", api.url("/jobs/${requestId}/rows?partition=${partition}")),
            new FormatSpec.Json("/data", null, null, null, List.of("ID", "NAME")));

    int count = parts.planParts(new PlanRequest(request(source))).parts();
    ExtractResult second = parts.extractPart(new PartRequest(request(source), 2));
    ExtractResult first = parts.extractPart(new PartRequest(request(source), 0));

    assertThat(count).isEqualTo(3);
    assertThat(second.rows()).isEqualTo(2);
    assertThat(second.files()).singleElement().asString().startsWith("part-00002-run-1-");
    assertThat(first.files()).singleElement().asString().startsWith("part-00000-run-1-");
    try (Stream<Path> staged = Files.list(dir.resolve("staging"))) {
      assertThat(staged.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parquet")))
          .as("the first part did not delete the third's files")
          .containsExactlyInAnyOrder(first.files().get(0), second.files().get(0));
    }
    assertThat(api.calls("/jobs/J1/rows").stream().map(TestServer.Call::query))
        .containsExactly("partition=2", "partition=0");
  }

  @Test
  void givenCountAsNumber_whenPlanned_thenThatNumber() {
    status("{\"state\":\"DONE\",\"partitions\":5}");

    assertThat(
            parts
                .planParts(
                    new PlanRequest(
                        request(
                            source(partitions("/partitions", api.url("/p/${partition}")), null))))
                .parts())
        .isEqualTo(5);
  }

  @Test
  void givenCountMissingNotANumberOrNegative_whenPlanned_thenResultPlanInvalidNamingThePointer() {
    for (String[] bad :
        List.of(
            new String[] {"{\"state\":\"DONE\"}", "JSON pointer /n finds no partition count"},
            new String[] {"{\"n\":\"many\"}", "JSON pointer /n is not a number of partitions"},
            new String[] {"{\"n\":-1}", "JSON pointer /n is not a number of partitions but -1"},
            new String[] {"{\"n\":2.5}", "JSON pointer /n is not a number of partitions"})) {
      status(bad[0]);
      AsyncHttpSource source = source(partitions("/n", api.url("/p/${partition}")), null);

      assertThatThrownBy(() -> parts.planParts(new PlanRequest(request(source))))
          .satisfies(
              e -> {
                assertThat(cause(e).getType()).isEqualTo(FailureType.RESULT_PLAN_INVALID.type());
                assertThat(cause(e).isNonRetryable()).isTrue();
                assertThat(cause(e).getOriginalMessage())
                    .contains(bad[1])
                    .contains("the status answer (GET " + api.url("/jobs/J1") + ")");
              });
    }
  }

  @Test
  void givenUrlListContinuedElsewhere_whenExtracted_thenRelativeUrlsOnTheirHostWithoutCredentials() {
    status("{\"state\":\"DONE\"}");
    api.route(
        "/jobs/J1/pages",
        call ->
            call.query() == null
                ? Reply.json(
                    200,
                    "{\"pages\":[{\"u\":\"/files/a\"},{\"u\":\""
                        + bucket.url("/b?sig=1")
                        + "\"}],\"next\":\"/jobs/J1/pages?from=2\"}")
                : Reply.json(200, "{\"pages\":[{\"u\":\"/files/c\"}],\"next\":null}"));
    api.route("/files/a", call -> Reply.of(200, "text/csv", "id\n1\n"));
    api.route("/files/c", call -> Reply.of(200, "text/csv", "id\n3\n4\n"));
    bucket.route("/b", call -> Reply.of(200, "text/csv", "id\n2\n"));
    AsyncHttpSource source =
        source(
            new ResultSpec.Urls(
                "/pages",
                "/u",
                "/next",
                List.of(new RequestSpec(null, api.url("/jobs/${requestId}/pages"), null, null)),
                null,
                null,
                null,
                null,
                2),
            null);

    int count = parts.planParts(new PlanRequest(request(source))).parts();
    ExtractResult onBucket = parts.extractPart(new PartRequest(request(source), 1));
    ExtractResult continued = parts.extractPart(new PartRequest(request(source), 2));

    assertThat(count).isEqualTo(3);
    assertThat(onBucket.rows()).isEqualTo(1);
    assertThat(continued.rows()).isEqualTo(2);
    assertThat(bucket.calls("/b").get(0).header("Authorization")).isNull();
    assertThat(api.calls("/files/c").get(0).header("Authorization")).isEqualTo("Bearer s3cr3t");
    assertThat(api.calls("/files/a")).as("only its own URL").isEmpty();
  }

  @Test
  void givenEmptyOrWrongList_whenPlanned_thenResultPlanInvalidNamingThePointer() {
    for (String[] bad :
        List.of(
            new String[] {"{\"files\":[]}", "the list at JSON pointer /files is empty"},
            new String[] {"{\"state\":\"DONE\"}", "JSON pointer /files finds no list of URLs"},
            new String[] {"{\"files\":\"x\"}", "the value at JSON pointer /files is not a list"},
            new String[] {"{\"files\":[{\"u\":1}]}", "element 0 of the list at JSON pointer /files"})) {
      status(bad[0]);
      AsyncHttpSource source =
          source(
              new ResultSpec.Urls("/files", null, null, null, null, null, null, null, null), null);

      assertThatThrownBy(() -> parts.planParts(new PlanRequest(request(source))))
          .satisfies(
              e -> {
                assertThat(cause(e).getType()).isEqualTo(FailureType.RESULT_PLAN_INVALID.type());
                assertThat(cause(e).getOriginalMessage()).contains(bad[1]);
              });
    }
  }

  @Test
  void givenPartNoLongerInTheAnswer_whenExtracted_thenResultPlanInvalid() {
    status("{\"files\":[\"" + bucket.url("/only") + "\"]}");
    AsyncHttpSource source =
        source(new ResultSpec.Urls("/files", null, null, null, null, null, null, null, null), null);

    assertThatThrownBy(() -> parts.extractPart(new PartRequest(request(source), 1)))
        .satisfies(
            e ->
                assertThat(cause(e).getOriginalMessage())
                    .contains("part 1 no longer exists: JSON pointer /files now names 1 parts"));
  }
}
