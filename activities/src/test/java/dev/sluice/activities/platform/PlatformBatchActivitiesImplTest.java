package dev.sluice.activities.platform;

import dev.sluice.activities.http.ProviderClients;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.auth.MutableClock;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.platform.FakePlatform.Call;
import dev.sluice.activities.platform.FakePlatform.Reply;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.pipeline.PlatformConnectionSpec;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.PlatformBatchActivities;
import dev.sluice.workflows.activities.PlatformMessages.BatchRequest;
import dev.sluice.workflows.activities.PlatformMessages.BatchStatusResult;
import dev.sluice.workflows.activities.PlatformMessages.CreateBatchRequest;
import dev.sluice.workflows.activities.PlatformMessages.PlatformError;
import dev.sluice.workflows.activities.PlatformMessages.UploadRequest;
import dev.sluice.workflows.activities.PlatformMessages.UploadResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch activities against a platform on loopback that records every call. */
class PlatformBatchActivitiesImplTest {
  static final String FAILURE_TEXT =
      "Error in validating schema for file:"
          + " 'adl://dataLake.azuredatalakestore.net/connectors-dev/stage/BATCHID/dataSetId/contact.csv'"
          + " with"
          + " errorMessage=adl://dataLake.azuredatalakestore.net/connectors-dev/stage/BATCHID/dataSetId/contact.csv"
          + " is not a Parquet file. expected magic number at tail [80, 65, 82, 49] but found [57,"
          + " 98, 55, 10] and errorType=java.lang.RuntimeException";
  static final String SECRET = "s3cr3t-value";

  @TempDir Path dir;
  final ObjectMapper mapper = new ObjectMapper();
  final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T00:00:00Z"));
  final AtomicInteger tokensIssued = new AtomicInteger();
  FakePlatform platform;
  PlatformBatchActivitiesImpl activities;
  PlatformBatchSink sink;

  @BeforeEach
  void start() {
    platform = new FakePlatform();
    platform.route(
        "POST",
        "/ims/token/v3",
        c ->
            Reply.json(
                200,
                "{\"access_token\":\"t"
                    + tokensIssued.incrementAndGet()
                    + "\",\"token_type\":\"bearer\",\"expires_in\":3600}"));
    SecretResolver secrets =
        new SecretResolver(Map.of("PLATFORM_SECRET", SECRET)::get, "test-worker");
    activities =
        new PlatformBatchActivitiesImpl(
            new ProviderClients(
                new OkHttpClient(),
                mapper,
                secrets,
                new SimpleMeterRegistry(),
                clock),
            new HadoopFiles(new Configuration()));
    sink = sink("1KB", "100B");
  }

  @AfterEach
  void stop() {
    platform.close();
  }

  PlatformBatchSink sink(String threshold, String chunk) {
    return new PlatformBatchSink(
        null,
        null,
        null,
        null,
        null,
        new PlatformConnectionSpec(
            platform.url("/data/foundation"),
            null,
            platform.url("/ims/token/v3"),
            "client-1",
            "${env:PLATFORM_SECRET}",
            "openid,AdobeID",
            null,
            null,
            null,
            "ORG@AdobeOrg",
            "dev-sandbox",
            null),
        "DATASET1",
        null,
        threshold,
        chunk,
        null,
        null,
        null);
  }

  void batchAnswers(String body) {
    platform.route("GET", "/data/foundation/catalog/batches/B1", c -> Reply.json(200, body));
  }

  @Test
  void givenTwoCalls_whenTokenStillValid_thenOneTokenFetchAndEveryCallCarriesThePlatformHeaders() {
    batchAnswers("{\"B1\":{\"status\":\"loading\"}}");
    platform.route("POST", "/data/foundation/import/batches/B1", c -> Reply.json(200, ""));

    activities.batchStatus(new BatchRequest(sink, "B1"));
    activities.completeBatch(new BatchRequest(sink, "B1"));

    List<Call> tokenCalls = platform.calls("POST", "/ims/token/v3");
    assertThat(tokenCalls).hasSize(1);
    assertThat(tokenCalls.get(0).text())
        .contains(
            "grant_type=client_credentials",
            "client_id=client-1",
            "client_secret=" + SECRET,
            "scope=openid%2CAdobeID");
    List<Call> apiCalls =
        platform.calls().stream().filter(c -> c.path().startsWith("/data/")).toList();
    assertThat(apiCalls).hasSize(2);
    for (Call call : apiCalls) {
      assertThat(call.header("Authorization")).isEqualTo("Bearer t1");
      assertThat(call.header("x-api-key")).isEqualTo("client-1");
      assertThat(call.header("x-gw-ims-org-id")).isEqualTo("ORG@AdobeOrg");
      assertThat(call.header("x-sandbox-name")).isEqualTo("dev-sandbox");
    }
    assertThat(platform.calls("POST", "/data/foundation/import/batches/B1").get(0).query())
        .isEqualTo("action=COMPLETE");
  }

  @Test
  void givenTokenWithinRefreshMarginOfExpiry_whenCalling_thenANewTokenIsFetchedFirst() {
    batchAnswers("{\"status\":\"loading\"}");
    activities.batchStatus(new BatchRequest(sink, "B1"));
    clock.advance(Duration.ofMinutes(56)); // expires_in 3600s, refreshed 5 minutes before

    activities.batchStatus(new BatchRequest(sink, "B1"));

    assertThat(platform.calls("POST", "/ims/token/v3")).hasSize(2);
    assertThat(
            platform
                .calls("GET", "/data/foundation/catalog/batches/B1")
                .get(1)
                .header("Authorization"))
        .isEqualTo("Bearer t2");
  }

  @Test
  void givenPlatformRejectsTheCachedToken_whenCalling_thenRetriedOnceWithAFreshToken() {
    platform.route(
        "GET",
        "/data/foundation/catalog/batches/B1",
        c ->
            "Bearer t1".equals(c.header("Authorization"))
                ? Reply.json(
                    401, "{\"error_code\":\"401013\",\"message\":\"Oauth token is not valid\"}")
                : Reply.json(200, "{\"B1\":{\"status\":\"success\"}}"));

    BatchStatusResult status = activities.batchStatus(new BatchRequest(sink, "B1"));

    assertThat(status.outcome()).isEqualTo(Outcome.READY);
    assertThat(platform.calls("POST", "/ims/token/v3")).hasSize(2);
    assertThat(platform.calls("GET", "/data/foundation/catalog/batches/B1")).hasSize(2);
  }

  @Test
  void givenNoReplacedBatches_whenCreating_thenPlainParquetBatchAndIdFromKeyedAnswer()
      throws Exception {
    platform.route(
        "POST",
        "/data/foundation/import/batches",
        c ->
            Reply.json(
                201,
                "{\"BATCH9\":{\"id\":\"BATCH9\",\"status\":\"loading\",\"created\":1,"
                    + "\"relatedObjects\":[{\"type\":\"dataSet\",\"id\":\"DATASET1\"}]}}"));

    String id = activities.createBatch(new CreateBatchRequest(sink, List.of())).batchId();

    assertThat(id).isEqualTo("BATCH9");
    JsonNode body =
        mapper.readTree(platform.calls("POST", "/data/foundation/import/batches").get(0).text());
    assertThat(body)
        .isEqualTo(
            mapper.readTree(
                "{\"datasetId\":\"DATASET1\",\"inputFormat\":{\"format\":\"parquet\"}}"));
  }

  @Test
  void givenReplacedBatches_whenCreating_thenReplayBlockAndIdFromFlatAnswer() throws Exception {
    platform.route(
        "POST",
        "/data/foundation/import/batches",
        c -> Reply.json(201, "{\"id\":\"NEW\",\"status\":\"loading\"}"));

    String id =
        activities.createBatch(new CreateBatchRequest(sink, List.of("OLD1", "OLD2"))).batchId();

    assertThat(id).isEqualTo("NEW");
    JsonNode body =
        mapper.readTree(platform.calls("POST", "/data/foundation/import/batches").get(0).text());
    assertThat(body.get("replay"))
        .isEqualTo(
            mapper.readTree("{\"predecessors\":[\"OLD1\",\"OLD2\"],\"reason\":\"replace\"}"));
  }

  @Test
  void givenFileBelowThreshold_whenUploading_thenOnePutWithTheFilesExactBytes() throws Exception {
    byte[] content = randomBytes(700);
    Path file = Files.write(dir.resolve("part-0.parquet"), content);
    String path = "/data/foundation/import/batches/B1/datasets/DATASET1/files/part-0.parquet";
    platform.route(
        "PUT",
        path,
        c -> Reply.json(200, "{\"B1\":{\"name\":\"part-0.parquet\",\"sizeInBytes\":700}}"));

    UploadResult result;
    try (Activities env = new Activities(activities, new CopyOnWriteArrayList<>())) {
      result =
          env.stub.uploadFile(
              new UploadRequest(sink, "B1", file.toUri().toString(), "part-0.parquet"));
    }

    assertThat(result).isEqualTo(new UploadResult("part-0.parquet", 700, false));
    Call put = platform.calls("PUT", path).get(0);
    assertThat(put.body()).isEqualTo(content);
    assertThat(put.header("Content-Type")).isEqualTo("application/octet-stream");
  }

  @Test
  void givenFileAboveThreshold_whenUploading_thenInitializeChunksWithContentRangeAndComplete()
      throws Exception {
    byte[] content = randomBytes(1030);
    Path file = Files.write(dir.resolve("big.parquet"), content);
    String path = routeLargeFile("big.parquet", call -> false);

    List<Long> heartbeats = new CopyOnWriteArrayList<>();
    UploadResult result;
    try (Activities env = new Activities(activities, heartbeats)) {
      result =
          env.stub.uploadFile(
              new UploadRequest(
                  sink("1000B", "400B"), "B1", file.toUri().toString(), "big.parquet"));
    }

    assertThat(result).isEqualTo(new UploadResult("big.parquet", 1030, true));
    List<Call> calls = platform.calls().stream().filter(c -> c.path().equals(path)).toList();
    assertThat(calls)
        .extracting(c -> c.method() + (c.query() == null ? "" : "?" + c.query()))
        .containsExactly(
            "POST?action=INITIALIZE", "PATCH", "PATCH", "PATCH", "POST?action=COMPLETE");
    assertThat(calls.subList(1, 4))
        .extracting(c -> c.header("Content-Range"))
        .containsExactly("bytes 0-399/1030", "bytes 400-799/1030", "bytes 800-1029/1030");
    assertThat(concat(calls.subList(1, 4))).isEqualTo(content);
    assertThat(heartbeats).contains(400L);
  }

  @Test
  void givenEarlierAttemptHeartbeatedAnOffset_whenRetried_thenResumesThereWithoutInitialize()
      throws Exception {
    byte[] content = randomBytes(1030);
    Path file = Files.write(dir.resolve("big.parquet"), content);
    String path = routeLargeFile("big.parquet", call -> false);

    try (Activities env = new Activities(activities, new ArrayList<>())) {
      env.env.setHeartbeatDetails(400L);
      env.stub.uploadFile(
          new UploadRequest(sink("1000B", "400B"), "B1", file.toUri().toString(), "big.parquet"));
    }

    List<Call> calls = platform.calls().stream().filter(c -> c.path().equals(path)).toList();
    assertThat(calls)
        .extracting(c -> c.method() + (c.query() == null ? "" : "?" + c.query()))
        .containsExactly("PATCH", "PATCH", "POST?action=COMPLETE");
    assertThat(calls.subList(0, 2))
        .extracting(c -> c.header("Content-Range"))
        .containsExactly("bytes 400-799/1030", "bytes 800-1029/1030");
    assertThat(concat(calls.subList(0, 2)))
        .isEqualTo(java.util.Arrays.copyOfRange(content, 400, 1030));
  }

  @Test
  void
      givenChunkFailsWith503AndRetryAfter_whenUploading_thenRetryableWithTheAskedDelayAndPlatformText()
          throws Exception {
    Path file = Files.write(dir.resolve("big.parquet"), randomBytes(1030));
    AtomicInteger patches = new AtomicInteger();
    routeLargeFile("big.parquet", call -> patches.incrementAndGet() == 2);

    List<Long> heartbeats = new CopyOnWriteArrayList<>();
    ActivityFailure failed;
    try (Activities env = new Activities(activities, heartbeats)) {
      failed =
          catchThrowableOfType(
              ActivityFailure.class,
              () ->
                  env.stub.uploadFile(
                      new UploadRequest(
                          sink("1000B", "400B"), "B1", file.toUri().toString(), "big.parquet")));
    }

    ApplicationFailure cause = (ApplicationFailure) failed.getCause();
    assertThat(cause.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
    assertThat(cause.isNonRetryable()).isFalse();
    assertThat(cause.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(7));
    assertThat(cause.getOriginalMessage()).contains("503", "storage busy").doesNotContain(SECRET);
    assertThat(heartbeats)
        .as("the committed offset a retry resumes from")
        .contains(400L)
        .doesNotContain(800L);
  }

  @Test
  void givenBatchStatuses_whenReading_thenClassifiedAndErrorsVerbatim() {
    batchAnswers(
        "{\"B1\":{\"imsOrg\":\"ORG@AdobeOrg\",\"status\":\"failure\",\"errors\":[{\"code\":\"200\","
            + "\"description\":"
            + quote(FAILURE_TEXT)
            + ",\"rows\":[]}],\"version\":\"1.0.1\"}}");
    BatchStatusResult failed = activities.batchStatus(new BatchRequest(sink, "B1"));
    assertThat(failed.status()).isEqualTo("failure");
    assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(failed.errors()).containsExactly(new PlatformError("200", FAILURE_TEXT));

    batchAnswers("{\"status\":\"processing\",\"errors\":[]}");
    assertThat(activities.batchStatus(new BatchRequest(sink, "B1")).outcome())
        .isEqualTo(Outcome.PENDING);

    assertThat(PlatformBatchActivitiesImpl.classify("success")).isEqualTo(Outcome.READY);
    assertThat(PlatformBatchActivitiesImpl.classify("failed")).isEqualTo(Outcome.FAILED);
    assertThat(PlatformBatchActivitiesImpl.classify("aborted")).isEqualTo(Outcome.FAILED);
    assertThat(PlatformBatchActivitiesImpl.classify("loading")).isEqualTo(Outcome.PENDING);
  }

  @Test
  void givenBatchAlreadyFinal_whenAborting_thenNotAnError() {
    platform.route(
        "POST",
        "/data/foundation/import/batches/B1",
        c -> Reply.json(409, "{\"title\":\"Batch is already in a final state\"}"));

    assertThat(activities.abortBatch(new BatchRequest(sink, "B1")).httpStatus()).isEqualTo(409);
    assertThat(platform.calls("POST", "/data/foundation/import/batches/B1").get(0).query())
        .isEqualTo("action=ABORT");
  }

  @Test
  void givenEarlierCompleteWentThrough_whenCompleteIsRetried_thenTheRefusalIsNotAnError() {
    platform.route(
        "POST",
        "/data/foundation/import/batches/B1",
        c -> Reply.json(400, "{\"title\":\"Batch B1 is not in loading state\"}"));
    batchAnswers("{\"B1\":{\"status\":\"processing\"}}");

    assertThat(activities.completeBatch(new BatchRequest(sink, "B1")).httpStatus()).isEqualTo(400);

    batchAnswers("{\"B1\":{\"status\":\"loading\"}}");
    ApplicationFailure refused =
        catchThrowableOfType(
            ApplicationFailure.class, () -> activities.completeBatch(new BatchRequest(sink, "B1")));
    assertThat(refused.getType()).isEqualTo(FailureType.HTTP_CLIENT_ERROR.type());
    assertThat(refused.getOriginalMessage()).contains("not in loading state", "B1");
  }

  @Test
  void givenTokenEndpointRejectsClient_whenCalling_thenAuthFailedWithoutTheSecret() {
    platform.route(
        "POST",
        "/ims/token/v3",
        c ->
            Reply.json(
                400,
                "{\"error\":\"invalid_client\",\"error_description\":\"invalid client_secret"
                    + " parameter\"}"));

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> activities.batchStatus(new BatchRequest(sink, "B1")));

    assertThat(failure.getType()).isEqualTo(FailureType.AUTH_FAILED.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("invalid_client").doesNotContain(SECRET);
  }

  /**
   * Routes the large-file protocol of {@code name}; a PATCH for which {@code fail} holds gets a
   * 503.
   */
  private String routeLargeFile(String name, java.util.function.Predicate<Call> fail) {
    String path = "/data/foundation/import/batches/B1/datasets/DATASET1/files/" + name;
    platform.route("POST", path, c -> Reply.json(200, ""));
    platform.route(
        "PATCH",
        path,
        c ->
            fail.test(c)
                ? Reply.json(503, "{\"title\":\"storage busy\"}").withHeader("Retry-After", "7")
                : Reply.json(200, ""));
    return path;
  }

  private static byte[] concat(List<Call> calls) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    calls.forEach(c -> out.writeBytes(c.body()));
    return out.toByteArray();
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random(n).nextBytes(bytes);
    return bytes;
  }

  private String quote(String text) {
    try {
      return mapper.writeValueAsString(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The activities inside Temporal's activity test environment, one attempt per call. */
  static final class Activities implements AutoCloseable {
    final TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    final PlatformBatchActivities stub;

    Activities(PlatformBatchActivities impl, List<Long> heartbeats) {
      env.registerActivitiesImplementations(impl);
      env.setActivityHeartbeatListener(Long.class, heartbeats::add);
      stub =
          env.newActivityStub(
              PlatformBatchActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofSeconds(30))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
    }

    @Override
    public void close() {
      env.close();
    }
  }
}
