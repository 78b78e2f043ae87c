package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.parquet.ParquetStagingWriter;
import dev.sluice.activities.platform.PlatformBatchActivitiesImpl;
import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.pipeline.PlatformConnectionSpec;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.sandbox.platform.PlatformCredentials;
import dev.sluice.sandbox.platform.PlatformEmulator;
import dev.sluice.sandbox.platform.PlatformStats;
import dev.sluice.workers.ActivityLibrary;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.batchegress.BatchEgressInput;
import dev.sluice.workflows.batchegress.BatchEgressResult;
import dev.sluice.workflows.batchegress.BatchEgressWorkflow;
import dev.sluice.workflows.batchegress.BatchEgressWorkflowImpl;
import dev.sluice.workflows.batchegress.EgressProgress;
import dev.sluice.workflows.common.WorkflowIds;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@link BatchEgressWorkflowImpl} and the real platform activities (through the worker's
 * {@link ActivityLibrary}) against the sandbox's independent emulation of Adobe Experience
 * Platform, over loopback. Time skipping makes the status polling and retry backoffs instant; the
 * emulator's stats and its Data Access API are the witnesses of what actually arrived.
 */
class BatchEgressEndToEndTest {
  private static final String QUEUE = "egress-e2e";
  private static final String DATASET = PlatformEmulator.SEEDED_PROFILES;

  /** A subset of the profile schema: the platform accepts files that leave fields out. */
  private static final List<ColumnSpec> PROFILE_COLUMNS =
      List.of(
          new ColumnSpec("personId", "string", null),
          new ColumnSpec("firstName", "string", null),
          new ColumnSpec("lastName", "string", null),
          new ColumnSpec("loyaltyPoints", "long", null),
          new ColumnSpec("optIn", "boolean", null));

  private static SandboxServer sandbox;

  @TempDir Path work;
  private TestWorkflowEnvironment testEnv;
  private SimpleMeterRegistry registry;

  @BeforeAll
  static void startSandbox() {
    sandbox = SandboxServer.start(SandboxConfig.defaults());
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.close();
  }

  @BeforeEach
  void startWorker() {
    platform().reset();
    // The worker sees only these variables: the sink carries ${env:...} references to them, as a
    // pipeline run against a real organisation would.
    Map<String, String> env = PlatformReferences.workerEnvironment(sandbox);
    registry = new SimpleMeterRegistry();
    testEnv = TestWorkflowEnvironment.newInstance();
    Worker worker = testEnv.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(BatchEgressWorkflowImpl.class);
    ActivityLibrary.create(env::get, registry).registerOn(worker);
    testEnv.start();
  }

  @AfterEach
  void stopWorker() {
    testEnv.close();
  }

  @Test
  void givenThreeParquetFiles_whenEgressed_thenOneSuccessfulBatchHoldsEachFileOnceAndReadsBack()
      throws Exception {
    List<Path> files =
        List.of(profiles("one", 0, 5), profiles("two", 5, 7), profiles("three", 12, 3));

    BatchEgressResult result = egress("success", sink(null, null), files);

    PlatformStats stats = platform().stats();
    assertThat(stats.batchesCreated()).containsExactly(result.batchId());
    PlatformStats.BatchSummary batch = stats.batch(result.batchId());
    assertThat(batch.datasetId()).isEqualTo(DATASET);
    assertThat(batch.status()).isEqualTo("success");
    assertThat(batch.files())
        .extracting(
            PlatformStats.FileSummary::name,
            PlatformStats.FileSummary::sizeInBytes,
            PlatformStats.FileSummary::uploads)
        .containsExactlyInAnyOrderElementsOf(
            files.stream()
                .map(
                    f ->
                        org.assertj.core.groups.Tuple.tuple(f.getFileName().toString(), size(f), 1))
                .toList());
    assertThat(result.status()).isEqualTo("success");
    assertThat(result.files()).containsExactlyElementsOf(names(files));
    assertThat(result.bytes())
        .isEqualTo(files.stream().mapToLong(BatchEgressEndToEndTest::size).sum());
    assertThat(result.timings().polls()).isGreaterThanOrEqualTo(1);

    // Read back through the platform's Data Access API and an engine that shares no code with
    // our writer: every row once.
    List<String> people = readBack(result.batchId());
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      expected.add(personId(i));
    }
    assertThat(people).containsExactlyElementsOf(expected);
  }

  @Test
  void givenNonParquetFile_whenEgressed_thenRunFailsWithPlatformMessageVerbatimAndBatchId()
      throws Exception {
    Path good = profiles("good", 0, 3);
    Path csv = work.resolve("csv").resolve("contacts.parquet");
    Files.createDirectories(csv.getParent());
    byte[] text = "personId,firstName\np-1,Ada\n".getBytes(StandardCharsets.UTF_8);
    Files.write(csv, text);
    byte[] tail = Arrays.copyOfRange(text, text.length - 4, text.length);

    WorkflowFailedException failed =
        catchThrowableOfType(
            WorkflowFailedException.class,
            () -> egress("bad-file", sink(null, null), List.of(good, csv)));

    assertThat(failed).isNotNull();
    PlatformStats stats = platform().stats();
    assertThat(stats.batchesCreated()).hasSize(1);
    String batchId = stats.batchesCreated().get(0);
    PlatformStats.BatchSummary batch = stats.batch(batchId);
    assertThat(batch.status()).isIn("failure", "failed");
    String guideText =
        "is not a Parquet file. expected magic number at tail [80, 65, 82, 49] but found "
            + Arrays.toString(tail);
    assertThat(batch.errors()).anySatisfy(e -> assertThat(e).contains(guideText));
    String platformDescription =
        batch.errors().stream().filter(e -> e.contains(guideText)).findFirst().orElseThrow();

    assertThat(failed.getCause()).isInstanceOf(ApplicationFailure.class);
    ApplicationFailure failure = (ApplicationFailure) failed.getCause();
    assertThat(failure.getType()).isEqualTo(FailureType.PLATFORM_BATCH_FAILED.type());
    assertThat(failure.getOriginalMessage())
        .contains("platform batch " + batchId)
        // The platform's own description, every character of it, not a paraphrase.
        .contains(platformDescription);
    // A batch the platform already failed is final: nothing to abort.
    assertThat(stats.aborts()).isZero();
  }

  @Test
  void givenFirstTwoUploadsAnswer503_whenEgressed_thenRetriedIntoOneBatchWithEachFileOnce()
      throws Exception {
    List<Path> files = List.of(profiles("r1", 0, 4), profiles("r2", 4, 4), profiles("r3", 8, 4));
    platform().failUploads(2, 503);

    BatchEgressResult result = egress("retried", sink(null, null), files);

    PlatformStats stats = platform().stats();
    assertThat(stats.batchesCreated()).containsExactly(result.batchId());
    PlatformStats.BatchSummary batch = stats.batch(result.batchId());
    assertThat(batch.status()).isEqualTo("success");
    assertThat(batch.files())
        .extracting(PlatformStats.FileSummary::name)
        .containsExactlyInAnyOrderElementsOf(names(files));
    assertThat(batch.files()).allSatisfy(f -> assertThat(f.uploads()).isEqualTo(1));
    // The knob did fire: the activities saw exactly the two 503s, and retried past them.
    assertThat(responses("5xx")).isEqualTo(2);
    // The two refused uploads were not stored; the three that succeeded each stored one file.
    assertThat(stats.uploads()).isEqualTo(3);
    assertThat(result.status()).isEqualTo("success");
    assertThat(result.files()).containsExactlyElementsOf(names(files));
    assertThat(readBack(result.batchId())).hasSize(12);
  }

  /**
   * The platform creates the batch, then the connection closes before a byte of its answer: the
   * worker's HTTP client must not send the create again; the activity's retry finds the batch by
   * its egress tag instead of creating a second one, which would stay loading for ever.
   */
  @Test
  void givenCreateAnswerLost_whenEgressed_thenOneBatchAndNoOrphanLeftLoading() throws Exception {
    List<Path> files = List.of(profiles("l1", 0, 4), profiles("l2", 4, 4));
    platform().loseAnswers("create", 1);

    BatchEgressResult result = egress("lost-create", sink(null, null), files);

    PlatformStats stats = platform().stats();
    assertThat(stats.batchesCreated()).as("one batch").containsExactly(result.batchId());
    assertThat(stats.batches())
        .as("no batch left loading")
        .noneMatch(b -> b.status().equals("loading"));
    PlatformStats.BatchSummary batch = stats.batch(result.batchId());
    assertThat(batch.status()).isEqualTo("success");
    assertThat(batch.files())
        .extracting(PlatformStats.FileSummary::name)
        .containsExactlyInAnyOrderElementsOf(names(files));
    assertThat(result.status()).isEqualTo("success");
    assertThat(readBack(result.batchId())).hasSize(8);
  }

  @Test
  void givenFileAboveLargeFileThreshold_whenEgressed_thenSentInChunksAndBatchSucceeds()
      throws Exception {
    Path small = profiles("small", 0, 1);
    Path large = profiles("large", 1, 200);
    assertThat(size(large)).as("the large file must exceed the 1KB threshold").isGreaterThan(1024);
    assertThat(size(small))
        .as("the small file must stay under the 1KB threshold")
        .isLessThanOrEqualTo(1024);

    BatchEgressResult result = egress("large", sink("1KB", "512B"), List.of(small, large));

    PlatformStats.BatchSummary batch = platform().stats().batch(result.batchId());
    assertThat(batch.status()).isEqualTo("success");
    assertThat(batch.files())
        .extracting(PlatformStats.FileSummary::name, PlatformStats.FileSummary::sizeInBytes)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(small.getFileName().toString(), size(small)),
            org.assertj.core.groups.Tuple.tuple(large.getFileName().toString(), size(large)));
    assertThat(uploadedBytes("large")).isEqualTo(size(large));
    assertThat(uploadedBytes("simple")).isEqualTo(size(small));
    assertThat(readBack(result.batchId())).hasSize(201);
  }

  @Test
  void givenStatusEndpointAnswering500_whenTimeoutIs30s_thenAbortedWithinAboutTheTimeout()
      throws Exception {
    Path file = profiles("status-down", 0, 3);
    platform().failRequests("status", 100_000, 500);
    PlatformBatchSink sink = withTimeout(sink(null, null), Duration.ofSeconds(30));

    WorkflowFailedException failed =
        catchThrowableOfType(
            WorkflowFailedException.class, () -> egress("status-down", sink, List.of(file)));

    assertThat(failed).isNotNull();
    assertThat(failed.getCause()).isInstanceOf(ApplicationFailure.class);
    ApplicationFailure failure = (ApplicationFailure) failed.getCause();
    assertThat(failure.getType()).isEqualTo(FailureType.WAIT_TIMEOUT.type());
    assertThat(failure.getOriginalMessage())
        .contains("sink.timeout (30s)")
        .contains("the last status check got no answer before the deadline")
        .contains("500")
        .contains("the batch was aborted");
    assertThat(platform().stats().aborts()).isEqualTo(1);
    // Workflow time from start to failure: the 30 s deadline, its last check given a few seconds
    // (and the uploads before it), never a check's own 15 minutes.
    var events =
        testEnv
            .getWorkflowClient()
            .fetchHistory(WorkflowIds.egress("status-down"))
            .getEvents();
    long took =
        com.google.protobuf.util.Timestamps.toMillis(events.get(events.size() - 1).getEventTime())
            - com.google.protobuf.util.Timestamps.toMillis(events.get(0).getEventTime());
    assertThat(took).isLessThan(Duration.ofSeconds(30 + 5 + 10).toMillis());
  }

  @Test
  void givenPlatformStillProcessing_whenRunCancelled_thenBatchIsAborted() throws Exception {
    // Real-clock processing time: with time skipping the workflow's polls come fast, and every
    // one of them sees 'processing' until the run is cancelled.
    platform().processingTime(Duration.ofHours(1));
    Path file = profiles("cancel", 0, 3);
    PlatformBatchSink sink = withTimeout(sink(null, null), Duration.ofDays(30));
    BatchEgressWorkflow workflow = stub("cancelled");
    WorkflowClient.start(
        workflow::run, BatchEgressInput.of(sink, List.of(uri(file)), "cancelled"));

    awaitPolls(workflow);
    assertThat(platform().stats().batchesCreated()).hasSize(1);
    String batchId = platform().stats().batchesCreated().get(0);
    assertThat(platform().stats().batch(batchId).status()).isEqualTo("processing");

    WorkflowStub untyped = WorkflowStub.fromTyped(workflow);
    untyped.cancel();
    WorkflowFailedException failed =
        catchThrowableOfType(WorkflowFailedException.class, () -> untyped.getResult(String.class));

    assertThat(failed).isNotNull();
    assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
    PlatformStats stats = platform().stats();
    assertThat(stats.aborts()).isEqualTo(1);
    assertThat(stats.batch(batchId).status()).isEqualTo("aborted");
  }

  // ---------------------------------------------------------------------------------------------

  private static PlatformEmulator platform() {
    return sandbox.platform();
  }

  /** The sink a pipeline file would hold: secret references only, fast polling. */
  private static PlatformBatchSink sink(String largeFileThreshold, String chunkSize) {
    PlatformConnectionSpec connection = PlatformReferences.connection();
    return new PlatformBatchSink(
        null,
        null,
        null,
        null,
        null,
        connection,
        DATASET,
        2,
        largeFileThreshold,
        chunkSize,
        Duration.ofSeconds(10),
        Duration.ofMinutes(1),
        Duration.ofHours(2));
  }

  private static PlatformBatchSink withTimeout(PlatformBatchSink s, Duration timeout) {
    return new PlatformBatchSink(
        null,
        null,
        null,
        null,
        null,
        s.connection(),
        s.datasetId(),
        s.maxParallelUploads(),
        s.largeFileThreshold(),
        s.chunkSize(),
        s.pollInterval(),
        s.maxPollInterval(),
        timeout);
  }

  private BatchEgressWorkflow stub(String label) {
    return testEnv
        .getWorkflowClient()
        .newWorkflowStub(
            BatchEgressWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId(WorkflowIds.egress(label))
                .build());
  }

  private BatchEgressResult egress(String label, PlatformBatchSink sink, List<Path> files) {
    return stub(label)
        .run(
            BatchEgressInput.of(
                sink, files.stream().map(BatchEgressEndToEndTest::uri).toList(), label));
  }

  /**
   * Waits (bounded in real time) until the run has polled a batch the platform is processing.
   * Server time only moves while a client waits on it, so each round skips one poll interval.
   */
  private void awaitPolls(BatchEgressWorkflow workflow) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      EgressProgress progress = workflow.progress();
      if (progress.stage() == EgressProgress.Stage.WAITING && progress.polls() >= 2) {
        return;
      }
      testEnv.sleep(Duration.ofSeconds(10));
    }
    throw new AssertionError("the run never reached status polling: " + workflow.progress());
  }

  /**
   * Profile rows {@code first .. first+count-1} written by the project's own staging writer; the
   * declared types map onto the dataset's schema (string, long, boolean).
   */
  private Path profiles(String key, int first, int count) {
    Path staging = work.resolve("staging-" + key);
    HadoopFiles hadoop = new HadoopFiles(HadoopFiles.defaultConfiguration());
    ParquetSink parquet =
        new ParquetSink(
            work.resolve("table").toUri().toString(),
            "append",
            "snappy",
            "128MB",
            PROFILE_COLUMNS,
            1000);
    ParquetStagingWriter.WriterState state;
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(hadoop, parquet, staging.toUri().toString(), key, null, null)) {
      writer.columns(PROFILE_COLUMNS.stream().map(ColumnSpec::name).toList());
      for (int i = first; i < first + count; i++) {
        writer.record(
            new Object[] {
              personId(i),
              "First" + i,
              "Last-" + "x".repeat(i % 7),
              Long.toString(i * 100L),
              Boolean.toString(i % 2 == 0)
            });
      }
      state = writer.finish();
    }
    assertThat(state.files()).hasSize(1);
    return staging.resolve(state.files().get(0));
  }

  private static String personId(int i) {
    return String.format("p-%04d", i);
  }

  private static String uri(Path file) {
    return file.toUri().toString();
  }

  private static List<String> names(List<Path> files) {
    return files.stream().map(f -> f.getFileName().toString()).toList();
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private double responses(String statusClass) {
    return registry
        .find(dev.sluice.activities.http.HttpMetrics.HTTP_RESPONSES)
        .tag("status", statusClass)
        .counters()
        .stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count)
        .sum();
  }

  private double uploadedBytes(String protocol) {
    var counter =
        registry
            .find(PlatformBatchActivitiesImpl.UPLOADED_BYTES)
            .tag("protocol", protocol)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  /**
   * The person IDs of every row of the batch, downloaded through the emulated Data Access API
   * (batch → files → file content) and read with DuckDB, sorted.
   */
  private List<String> readBack(String batchId) throws Exception {
    ObjectMapper json = new ObjectMapper();
    HttpClient http = HttpClient.newHttpClient();
    PlatformCredentials creds = platform().credentials();
    String form =
        "grant_type=client_credentials&client_id="
            + enc(creds.clientId())
            + "&client_secret="
            + enc(creds.clientSecret())
            + "&scope=openid";
    JsonNode token =
        json.readTree(
            http.send(
                    HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/ims/token/v3"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    String bearer = "Bearer " + token.path("access_token").asText();
    Path downloads = Files.createDirectories(work.resolve("downloads-" + batchId));
    String next =
        sandbox.baseUrl() + "/data/foundation/export/batches/" + batchId + "/files?limit=1";
    int n = 0;
    while (next != null) {
      JsonNode page = json.readTree(get(http, next, bearer, creds).body());
      for (JsonNode file : page.path("data")) {
        JsonNode parts =
            json.readTree(
                get(http, file.path("_links").path("self").path("href").asText(), bearer, creds)
                    .body());
        for (JsonNode part : parts.path("data")) {
          byte[] bytes =
              get(http, part.path("_links").path("self").path("href").asText(), bearer, creds)
                  .body();
          Files.write(downloads.resolve("f" + (n++) + ".parquet"), bytes);
        }
      }
      next = page.path("_links").path("next").path("href").asText(null);
    }
    assertThat(n).as("files served by Data Access").isPositive();
    List<String> ids = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT personId FROM read_parquet('"
                    + downloads
                    + "/*.parquet') ORDER BY personId")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  private static HttpResponse<byte[]> get(
      HttpClient http, String url, String bearer, PlatformCredentials creds) throws Exception {
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", bearer)
                .header("x-api-key", creds.clientId())
                .header("x-gw-ims-org-id", creds.imsOrg())
                .header("x-sandbox-name", creds.sandboxName())
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as("GET " + url).isEqualTo(200);
    return response;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
