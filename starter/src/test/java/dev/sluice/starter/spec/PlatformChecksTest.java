package dev.sluice.starter.spec;

import static dev.sluice.starter.spec.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules for the {@code platform-batches} source and the {@code platform-batch} sink, through
 * the loader (schema and semantic checks together, as {@code sluice validate} runs them).
 */
class PlatformChecksTest {
  private static final String SOURCE = "platform-minimal.yaml";
  private static final String SINK = "platform-sink-minimal.yaml";
  private static final String DATASET = "  datasetId: 5f0000000000000000000002";
  private static final String SOURCE_SECRET = "    clientSecret: ${env:PLATFORM_CLIENT_SECRET}";
  private static final String SINK_DATASET = "  datasetId: 5f0000000000000000000001";

  private final PipelineLoader loader = new PipelineLoader();

  private List<String> problemsOf(String yaml) {
    return Fixtures.problemsOf(loader, yaml);
  }

  private static String source(String line, String replacement) {
    return with(SOURCE, line, replacement);
  }

  private static String sourcePlus(String keys) {
    return source(DATASET, DATASET + "\n" + keys);
  }

  private static String sinkPlus(String keys) {
    return with(SINK, SINK_DATASET, SINK_DATASET + "\n" + keys);
  }

  @Test
  void givenMinimalFixtures_whenLoaded_thenNoProblems() {
    assertThat(problemsOf(Fixtures.read(SOURCE))).isEmpty();
    assertThat(problemsOf(Fixtures.read(SINK))).isEmpty();
  }

  // ---- connection -------------------------------------------------------------------------------

  @Test
  void givenLiteralClientSecret_whenLoaded_thenRejectedBecauseThePipelineEntersWorkflowHistory() {
    String yaml = source(SOURCE_SECRET, "    clientSecret: s3cr3t");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.connection.clientSecret: must be a secret reference such as ${env:NAME} or"
                + " ${file:/path}, not the secret itself (pipeline definitions are stored in"
                + " workflow history)");
  }

  @Test
  void givenClientSecretWithALiteralSuffix_whenLoaded_thenRejectedAsNotExactlyOneReference() {
    String yaml = source(SOURCE_SECRET, "    clientSecret: ${env:PLATFORM_CLIENT_SECRET}-v2");

    assertThat(problemsOf(yaml))
        .singleElement()
        .asString()
        .startsWith(
            "source.connection.clientSecret: must be exactly one secret reference and nothing"
                + " else: the text around ${env:PLATFORM_CLIENT_SECRET} would be stored");
  }

  @Test
  void givenLiteralPrivateKey_whenLoaded_thenRejectedLikeAnyOtherSecret() {
    String yaml =
        source(
            SOURCE_SECRET,
            SOURCE_SECRET
                + "\n    authType: jwt"
                + "\n    technicalAccountId: 1234@techacct.adobe.com"
                + "\n    privateKey: '-----BEGIN PRIVATE KEY-----'"
                + "\n    metascopes: ent_dataservices_sdk");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.connection.privateKey: must be a secret reference such as ${env:NAME} or"
                + " ${file:/path}, not the secret itself (pipeline definitions are stored in"
                + " workflow history)");
  }

  @Test
  void givenJwtWithoutItsKeys_whenLoaded_thenEachMissingKeyIsNamedWithTheAuthTypeThatNeedsIt() {
    String yaml = source(SOURCE_SECRET, SOURCE_SECRET + "\n    authType: jwt");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.connection: missing required key 'technicalAccountId' (needed when authType"
                + " is 'jwt')",
            "source.connection: missing required key 'privateKey' (needed when authType is"
                + " 'jwt')",
            "source.connection: missing required key 'metascopes' (needed when authType is"
                + " 'jwt')");
  }

  @Test
  void givenJwtWithItsKeysAsReferences_whenLoaded_thenAccepted() {
    String yaml =
        source(
            SOURCE_SECRET,
            SOURCE_SECRET
                + "\n    authType: jwt"
                + "\n    technicalAccountId: ${env:PLATFORM_TECHNICAL_ACCOUNT_ID}"
                + "\n    privateKey: ${file:/run/secrets/platform.key}"
                + "\n    metascopes: ent_dataservices_sdk");

    assertThat(problemsOf(yaml)).isEmpty();
  }

  @Test
  void givenOauthWithoutClientSecret_whenLoaded_thenClientSecretIsRequired() {
    String yaml = source(SOURCE_SECRET + "\n", "");

    assertThat(problemsOf(yaml))
        .containsExactly("source.connection: missing required key 'clientSecret'");
  }

  @Test
  void givenJwtKeyUnderOauth_whenLoaded_thenReportedInsteadOfIgnored() {
    String yaml =
        source(SOURCE_SECRET, SOURCE_SECRET + "\n    privateKey: ${file:/run/secrets/key}");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.connection.privateKey: applies only when authType is jwt, not"
                + " 'oauth-server-to-server'");
  }

  @Test
  void givenUnknownAuthType_whenLoaded_thenBothTypesNamed() {
    String yaml = source(SOURCE_SECRET, SOURCE_SECRET + "\n    authType: oauth");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.connection.authType: 'oauth' is not one of oauth-server-to-server, jwt");
  }

  @Test
  void givenNonHttpBaseUrl_whenLoaded_thenRejected() {
    String yaml =
        source("    baseUrl: ${env:PLATFORM_BASE_URL}", "    baseUrl: platform.adobe.io/data");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.connection.baseUrl: must be an http:// or https:// URL (found"
                + " 'platform.adobe.io/data')");
  }

  @Test
  void givenTokenUrlStartingWithEnvironmentReference_whenLoaded_thenAccepted() {
    String yaml =
        source(
            "    tokenUrl: ${env:PLATFORM_TOKEN_URL}",
            "    tokenUrl: ${env:IMS_HOST}/ims/token/v3");

    assertThat(problemsOf(yaml)).isEmpty();
  }

  @Test
  void givenTemplateVariableInConnection_whenLoaded_thenOnlySecretReferencesAllowed() {
    String yaml = source("    imsOrg: ${env:PLATFORM_IMS_ORG}", "    imsOrg: ${pipeline}@AdobeOrg");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.connection.imsOrg: ${pipeline} cannot be used in a platform connection: only"
                + " ${env:NAME} and ${file:/path} can");
  }

  @Test
  void givenConnectionReferences_whenLoaded_thenListedAsSecretReferences() throws Exception {
    LoadedPipeline loaded = loader.load(Fixtures.read(SOURCE), "t.yaml");

    assertThat(loaded.secretReferences())
        .containsExactly(
            "${env:PLATFORM_BASE_URL}",
            "${env:PLATFORM_TOKEN_URL}",
            "${env:PLATFORM_CLIENT_ID}",
            "${env:PLATFORM_CLIENT_SECRET}",
            "${env:PLATFORM_IMS_ORG}");
  }

  // ---- source -----------------------------------------------------------------------------------

  @Test
  void givenNoDatasetId_whenLoaded_thenRequired() {
    String yaml = source(DATASET + "\n", "");

    assertThat(problemsOf(yaml)).containsExactly("source: missing required key 'datasetId'");
  }

  @Test
  void givenPlaceholderInDatasetId_whenLoaded_thenRejectedBecauseNothingResolvesIt() {
    String yaml = source(DATASET, "  datasetId: ${env:DATASET}");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.datasetId: placeholders are not supported in datasetId: write the dataset's"
                + " ID as the Catalog lists it (sluice platform datasets)");
  }

  @Test
  void givenAsyncHttpKeyOnPlatformSource_whenLoaded_thenUnknownBecauseItHasNoRequests() {
    String yaml = sourcePlus("  submit: {url: 'https://api.example.com/${logicalDate}'}");

    assertThat(problemsOf(yaml)).containsExactly("source: unknown key 'submit'");
  }

  @Test
  void givenMisspeltReadMode_whenLoaded_thenModesNamedWithSuggestion() {
    String yaml = sourcePlus("  read: snapshots");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.read: 'snapshots' is not one of incremental, snapshot (did you mean"
                + " 'snapshot'?)");
  }

  @Test
  void givenPageSizeAboveCatalogMaximum_whenLoaded_thenRejected() {
    String yaml = sourcePlus("  pageSize: 500");

    assertThat(problemsOf(yaml))
        .containsExactly("source.pageSize: must be at most 100 (found 500)");
  }

  @Test
  void givenZeroMaxBatchesPerRun_whenLoaded_thenRejected() {
    String yaml = sourcePlus("  maxBatchesPerRun: 0");

    assertThat(problemsOf(yaml))
        .containsExactly("source.maxBatchesPerRun: must be at least 1 (found 0)");
  }

  @Test
  void givenZeroMaxParallel_whenLoaded_thenRejected() {
    String yaml = sourcePlus("  processing: parallel\n  maxParallel: 0");

    assertThat(problemsOf(yaml))
        .containsExactly("source.maxParallel: must be at least 1 (found 0)");
  }

  @Test
  void givenParallelProcessingWithMaxParallel_whenLoaded_thenAccepted() {
    String yaml = sourcePlus("  processing: parallel\n  maxParallel: 8");

    assertThat(problemsOf(yaml)).isEmpty();
  }

  @Test
  void givenMaxParallelWithOrderedProcessing_whenLoaded_thenReportedInsteadOfIgnored() {
    String yaml = sourcePlus("  maxParallel: 8");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.maxParallel: applies only when processing is parallel, not 'ordered'");
  }

  @Test
  void givenProcessingWithSnapshotRead_whenLoaded_thenReportedBecauseASnapshotIsOneBatch() {
    String yaml = sourcePlus("  read: snapshot\n  processing: parallel\n  maxParallel: 2");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.processing: applies only when read is incremental, not 'snapshot'",
            "source.maxParallel: applies only when read is incremental, not 'snapshot'");
  }

  @Test
  void givenSnapshotReadWithIncrementalSection_whenLoaded_thenAskedToRemoveIt() {
    String yaml =
        sourcePlus("  read: snapshot") + "incremental:\n  column: created\n  initial: '0'\n";

    assertThat(problemsOf(yaml))
        .containsExactly(
            "incremental: a snapshot read takes only the latest successful batch and replaces the"
                + " table each run, so it keeps no watermark: remove this section");
  }

  @Test
  void
      givenIncrementalColumnWithPlatformSource_whenLoaded_thenExplainedThatTheWatermarkIsTheLastBatch() {
    String yaml = Fixtures.read(SOURCE) + "incremental:\n  column: timestamp\n  initial: '0'\n";

    assertThat(problemsOf(yaml))
        .containsExactly(
            "incremental.column: a platform-batches source needs no watermark column: it always"
                + " reads the batches created after the last one it read, whose created time and"
                + " ID it keeps beside the table; remove the 'incremental' section");
  }

  @Test
  void givenSnapshotReadIntoAppendTable_whenLoaded_thenReportedBecauseTheTableIsReplaced() {
    String yaml = sourcePlus("  read: snapshot") + "  mode: append\n";

    assertThat(problemsOf(yaml))
        .containsExactly(
            "sink.mode: a snapshot read replaces the table with the latest batch each run: remove"
                + " 'mode' or set it to snapshot");
  }

  @Test
  void givenSnapshotReadIntoSnapshotTable_whenLoaded_thenAccepted() {
    String yaml = sourcePlus("  read: snapshot") + "  mode: snapshot\n";

    assertThat(problemsOf(yaml)).isEmpty();
  }

  @Test
  void givenSettleIntervalLongerThanSettleTimeout_whenLoaded_thenRejected() {
    String yaml = sourcePlus("  settleTimeout: 1m\n  settleInterval: 5m");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.settleInterval: must not be longer than settleTimeout (5m > 1m), or the latest"
                + " batch is checked only once");
  }

  @Test
  void givenZeroSettleTimeout_whenLoaded_thenMustBePositive() {
    String yaml = sourcePlus("  settleTimeout: 0s");

    assertThat(problemsOf(yaml))
        .containsExactly("source.settleTimeout: must be positive (found 0s)");
  }

  // ---- sink -------------------------------------------------------------------------------------

  @Test
  void givenPlatformSinkWithoutPath_whenLoaded_thenRequiredBecauseItKeepsWhatWasSent() {
    String yaml = with(SINK, "  path: out/sent\n", "");

    assertThat(problemsOf(yaml)).containsExactly("sink: missing required key 'path'");
  }

  @Test
  void givenPlatformSinkWithoutDatasetId_whenLoaded_thenRequired() {
    String yaml = with(SINK, SINK_DATASET + "\n", "");

    assertThat(problemsOf(yaml)).containsExactly("sink: missing required key 'datasetId'");
  }

  @Test
  void givenPlatformSinkPathWithPlaceholder_whenLoaded_thenRejectedLikeAParquetSinkPath() {
    String yaml = with(SINK, "  path: out/sent", "  path: out/${pipeline}");

    assertThat(problemsOf(yaml))
        .containsExactly("sink.path: placeholders are not supported in the sink path");
  }

  @Test
  void givenModeOnPlatformSink_whenLoaded_thenUnknownBecauseItsTableAlwaysAppends() {
    String yaml = sinkPlus("  mode: snapshot");

    assertThat(problemsOf(yaml)).containsExactly("sink: unknown key 'mode'");
  }

  @Test
  void givenZeroMaxParallelUploads_whenLoaded_thenRejected() {
    String yaml = sinkPlus("  maxParallelUploads: 0");

    assertThat(problemsOf(yaml))
        .containsExactly("sink.maxParallelUploads: must be at least 1 (found 0)");
  }

  @Test
  void givenMalformedChunkSize_whenLoaded_thenSizeFormNamed() {
    String yaml = sinkPlus("  chunkSize: 64 MB");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "sink.chunkSize: must be a size such as 512KB, 128MB or 1GB (found '64 MB')");
  }

  @Test
  void givenLargeFileThresholdBeyondALong_whenLoaded_thenTooLarge() {
    String yaml = sinkPlus("  largeFileThreshold: 99999999999GB");

    assertThat(problemsOf(yaml))
        .containsExactly("sink.largeFileThreshold: '99999999999GB' is too large a size");
  }

  @Test
  void givenMaxPollIntervalShorterThanPollInterval_whenLoaded_thenRejected() {
    String yaml = sinkPlus("  pollInterval: 30s\n  maxPollInterval: 5s");

    assertThat(problemsOf(yaml))
        .containsExactly("sink.maxPollInterval: must not be shorter than pollInterval (5s < 30s)");
  }

  @Test
  void givenPollIntervalAboveDefaultMaxPollInterval_whenLoaded_thenAskedToSetIt() {
    String yaml = sinkPlus("  pollInterval: 5m");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "sink.maxPollInterval: the default of 2m is shorter than pollInterval (5m): set"
                + " maxPollInterval");
  }

  @Test
  void givenBadColumnOnPlatformSink_whenLoaded_thenCheckedLikeParquetColumns() {
    String yaml =
        sinkPlus(
            """
              columns:
                - {name: amount, type: "decimal(40,2)"}
            """);

    assertThat(problemsOf(yaml))
        .containsExactly(
            "sink.columns[0].type: decimal precision must be between 1 and 38 (found 40)");
  }
}
