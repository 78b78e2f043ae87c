package dev.sluice.workers.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.CleanupSpec;
import dev.sluice.pipeline.ExtractSpec;
import dev.sluice.pipeline.IncrementalSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.RequestIdSpec;
import dev.sluice.pipeline.RequestSpec;
import dev.sluice.pipeline.StatusSpec;
import dev.sluice.pipeline.SubmitSpec;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.HttpJobActivities;
import dev.sluice.workflows.activities.Messages.*;
import dev.sluice.workflows.activities.ParquetSinkActivities;
import dev.sluice.workflows.asyncingest.AsyncIngestInput;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflow;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real {@link AsyncIngestWorkflowImpl} run on the time-skipping test server with the codec on:
 * what the server stores (the raw history bytes) holds none of the pipeline's data, while the
 * client still reads results and failures in clear.
 */
class EncryptedHistoryTest {
  static final String QUEUE = "codec";
  // Markers that only travel inside payloads: workflow input, activity inputs and results,
  // failures.
  static final String NAME = "acme-payroll-export";
  static final String DESCRIPTION = "quarterly salaries of ACME staff";
  static final String HOST = "payroll.acme.example";
  static final String TABLE = "file:///secure/acme-payroll";
  static final String REQUEST_ID = "job-payroll-77";
  static final String WATERMARK = "2031-07-04T00:00:00.000Z";
  static final String OWNER = "payroll-team-lead";
  static final String BAD_ROW = "line 9: bad value 'Jane Doe, 120000'";

  TestWorkflowEnvironment env;
  final ScriptedProvider provider = new ScriptedProvider();

  @AfterEach
  void tearDown() {
    env.close();
  }

  WorkflowClient start(Optional<AesGcmPayloadCodec> codec) {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    PayloadEncryption.configure(WorkflowClientOptions.newBuilder(), codec).build())
                .build());
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(AsyncIngestWorkflowImpl.class);
    worker.registerActivitiesImplementations(provider);
    env.start();
    return env.getWorkflowClient();
  }

  static Optional<AesGcmPayloadCodec> codec() {
    return Optional.of(
        new AesGcmPayloadCodec(AesGcmPayloadCodecTest.ring("k1", Map.of("k1", CodecKeysTest.K1))));
  }

  // The workflow ID is deliberately not ingest/<pipeline>/...: IDs are never encrypted.
  static AsyncIngestWorkflow workflow(WorkflowClient client, String id) {
    return client.newWorkflowStub(
        AsyncIngestWorkflow.class,
        WorkflowOptions.newBuilder()
            .setTaskQueue(QUEUE)
            .setWorkflowId(id)
            .setMemo(Map.of("owner", OWNER))
            .build());
  }

  static String rawHistory(WorkflowClient client, String id) {
    // ISO-8859-1 maps every byte to one char, so any plaintext UTF-8/ASCII marker would show up as
    // is. Version markers (Workflow.getVersion) are left out: the SDK writes their change ID and
    // number with its standard converter, never the codec, by design; they are checked to hold
    // nothing but those (versionMarkersHoldOnlyChangeIds).
    io.temporal.api.history.v1.History.Builder kept = io.temporal.api.history.v1.History.newBuilder();
    for (var event : client.fetchHistory(id).getHistory().getEventsList()) {
      if (!isVersionMarker(event)) {
        kept.addEvents(event);
      }
    }
    return new String(kept.build().toByteArray(), StandardCharsets.ISO_8859_1);
  }

  private static boolean isVersionMarker(io.temporal.api.history.v1.HistoryEvent event) {
    return event.hasMarkerRecordedEventAttributes()
        && event.getMarkerRecordedEventAttributes().getMarkerName().equals("Version");
  }

  /** The plaintext a version marker carries: its change ID and version number, nothing else. */
  private static void versionMarkersHoldOnlyChangeIds(WorkflowClient client, String id) {
    for (var event : client.fetchHistory(id).getHistory().getEventsList()) {
      if (isVersionMarker(event)) {
        String text =
            new String(event.toByteArray(), StandardCharsets.ISO_8859_1);
        for (String plaintext : List.of(NAME, DESCRIPTION, HOST, TABLE, REQUEST_ID, WATERMARK)) {
          assertThat(text).as("version marker holds '%s'", plaintext).doesNotContain(plaintext);
        }
      }
    }
  }

  static PipelineSpec pipeline() {
    String base = "https://" + HOST + "/jobs";
    AsyncHttpSource source =
        new AsyncHttpSource(
            null,
            new SubmitSpec(
                null,
                base,
                Map.of(),
                "{\"q\":\"${watermark}\"}",
                new RequestIdSpec(null, null, null, null)),
            new StatusSpec(
                null,
                base + "/${requestId}",
                null,
                "/state",
                "^Done$",
                "^Failed$",
                "/error",
                Duration.ofSeconds(5),
                1.5,
                Duration.ofSeconds(20),
                Duration.ofHours(1), null),
            new ExtractSpec(base + "/${requestId}/results", null, null, null, null, null, null, null),
            new CleanupSpec(
                null, new RequestSpec("DELETE", base + "/${requestId}", Map.of(), null)), null, null, null);
    return PipelineSpec.newBuilder(
            NAME, source, new ParquetSink(TABLE, null, null, null, List.of(), null))
        .setDescription(DESCRIPTION)
        .setIncremental(new IncrementalSpec("SystemModstamp", "1970-01-01T00:00:00Z"))
        .build();
  }

  @Test
  void givenCodecOn_whenRunSucceeds_thenHistoryHoldsNoPlaintextAndClientReadsTheResult() {
    WorkflowClient client = start(codec());

    AsyncIngestResult result =
        workflow(client, "run-ok").run(AsyncIngestInput.of(pipeline(), "2031-07-05"));

    assertThat(result.requestId()).isEqualTo(REQUEST_ID);
    assertThat(result.watermark()).isEqualTo(WATERMARK);
    String history = rawHistory(client, "run-ok");
    versionMarkersHoldOnlyChangeIds(client, "run-ok");
    assertThat(history).contains("binary/encrypted").contains("encryption-key-id");
    for (String plaintext :
        List.of(
            NAME,
            DESCRIPTION,
            HOST,
            TABLE,
            REQUEST_ID,
            WATERMARK,
            OWNER,
            "json/plain",
            "2031-07-05")) {
      assertThat(history).as("history bytes contain '%s'", plaintext).doesNotContain(plaintext);
    }
  }

  @Test
  void givenCodecOff_whenRunSucceeds_thenTheSameScanFindsThePlaintext() {
    // The control for the test above: proves the scan sees payload bytes when they are in clear.
    WorkflowClient client = start(Optional.empty());

    workflow(client, "run-plain").run(AsyncIngestInput.of(pipeline(), "2031-07-05"));

    assertThat(rawHistory(client, "run-plain"))
        .contains(NAME)
        .contains(HOST)
        .contains(WATERMARK)
        .contains(OWNER)
        .doesNotContain("binary/encrypted");
  }

  @Test
  void
      givenCodecOn_whenActivityFailsQuotingData_thenFailureMessageIsEncryptedInHistoryButClearToTheClient() {
    provider.failExtractWith = BAD_ROW;
    WorkflowClient client = start(codec());

    assertThatThrownBy(
            () -> workflow(client, "run-bad").run(AsyncIngestInput.of(pipeline(), "2031-07-05")))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(rootCause(e)).hasMessageContaining(BAD_ROW));
    String history = rawHistory(client, "run-bad");
    assertThat(history).contains("Encoded failure").doesNotContain("Jane Doe").doesNotContain(NAME);
  }

  static Throwable rootCause(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** A provider whose job is ready at the first check; every answer carries a marker. */
  static final class ScriptedProvider implements HttpJobActivities, ParquetSinkActivities {
    volatile String failExtractWith;

    @Override
    public SubmitResult submit(SubmitRequest request) {
      return new SubmitResult(REQUEST_ID, false);
    }

    @Override
    public ReceiptResult submitted(ReceiptRequest request) {
      return new ReceiptResult(null, null);
    }

    @Override
    public StatusResult checkStatus(StatusRequest request) {
      return new StatusResult("Done", Outcome.READY, null, null, null);
    }

    @Override
    public ExtractResult extract(ExtractRequest request) {
      if (failExtractWith != null) {
        throw ApplicationFailure.newNonRetryableFailure(
            failExtractWith, FailureType.MALFORMED_DATA.type());
      }
      return new ExtractResult(3, 300, List.of("part-00000.parquet"), 1, WATERMARK);
    }

    @Override
    public dev.sluice.workflows.activities.PartMessages.Plan planParts(
        dev.sluice.workflows.activities.PartMessages.PlanRequest request) {
      throw new UnsupportedOperationException("no result in parts here");
    }

    @Override
    public ExtractResult extractPart(dev.sluice.workflows.activities.PartMessages.PartRequest request) {
      throw new UnsupportedOperationException("no result in parts here");
    }

    @Override
    public CleanupResult abort(CleanupRequest request) {
      return new CleanupResult(false, 0);
    }

    @Override
    public CleanupResult delete(CleanupRequest request) {
      return new CleanupResult(true, 204);
    }

    @Override
    public WatermarkResult readWatermark(WatermarkRequest request) {
      return new WatermarkResult(null);
    }

    @Override
    public PublishResult publish(PublishRequest request) {
      return new PublishResult(
          request.sink().path(),
          request.files().stream().map(f -> request.sink().path() + "/" + f).toList(),
          300);
    }

      @Override
      public dev.sluice.workflows.activities.WindowMessages.OpenWindowResult openWindow(
          dev.sluice.workflows.activities.WindowMessages.OpenWindowRequest request) {
        return new dev.sluice.workflows.activities.WindowMessages.OpenWindowResult(
            null, null, false, null);
      }

      @Override
      public dev.sluice.workflows.activities.WindowMessages.FirstWindowResult firstWindow(
          dev.sluice.workflows.activities.WindowMessages.FirstWindowRequest request) {
        throw new UnsupportedOperationException("only platform windows older than the watermark ask");
      }

      @Override
      public dev.sluice.workflows.activities.WindowMessages.ReleaseWindowResult releaseWindow(
          dev.sluice.workflows.activities.WindowMessages.ReleaseWindowRequest request) {
        return new dev.sluice.workflows.activities.WindowMessages.ReleaseWindowResult(0);
      }

    @Override
    public DiscardResult discardStaging(DiscardRequest request) {
      return new DiscardResult(true);
    }

    @Override
    public dev.sluice.workflows.activities.Messages.DeferralResult applyDeferral(
        dev.sluice.workflows.activities.Messages.DeferralRequest request) {
      throw new UnsupportedOperationException("these tests' pipelines defer nothing");
    }
  }
}
