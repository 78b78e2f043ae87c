package dev.sluice.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.platform.PlatformCatalogClient;
import dev.sluice.activities.platform.PlatformCatalogClient.DatasetSchema;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.sandbox.platform.PlatformCredentials;
import dev.sluice.sandbox.platform.PlatformEmulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice platform ...} in-process, against the sandbox's Experience Platform emulation. */
class PlatformCommandTest {
  static SandboxServer sandbox;
  static PlatformCredentials credentials;
  @TempDir static Path dir;
  static Path secretFile;

  @BeforeAll
  static void startSandbox() throws IOException {
    sandbox = SandboxServer.start(SandboxConfig.defaults());
    credentials = sandbox.platform().credentials();
    secretFile = Files.writeString(dir.resolve("secret"), credentials.clientSecret() + "\n");
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.close();
  }

  /** {@code sluice platform <args> <connection flags>}, the secret as a file reference. */
  static CliRun platformWithSecret(String secretReference, String... args) {
    List<String> all = new ArrayList<>(List.of("platform"));
    all.addAll(List.of(args));
    all.addAll(
        List.of(
            "--base-url",
            sandbox.baseUrl() + "/data/foundation",
            "--token-url",
            sandbox.baseUrl() + "/ims/token/v3",
            "--client-id",
            credentials.clientId(),
            "--client-secret",
            secretReference,
            "--ims-org",
            credentials.imsOrg(),
            "--sandbox-name",
            credentials.sandboxName()));
    return CliRun.run(all.toArray(String[]::new));
  }

  static CliRun platform(String... args) {
    return platformWithSecret("${file:" + secretFile + "}", args);
  }

  @Test
  void givenSeededPlatform_whenListingDatasets_thenPrintsEachWithIdNameAndCreationTime() {
    CliRun run = platform("datasets");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    List<String> lines = run.out().lines().collect(Collectors.toList());
    assertThat(lines.get(0)).matches("ID +NAME +CREATED");
    assertThat(lines).hasSize(5);
    long created = PlatformEmulator.SEEDED_EVENTS_FIRST_BATCH_MILLIS - 30L * 24 * 3_600_000L;
    assertThat(lines.get(1))
        .matches(
            PlatformEmulator.SEEDED_PROFILES
                + " +Sluice Profiles +"
                + Instant.ofEpochMilli(created));
    assertThat(run.out())
        .contains(PlatformEmulator.SEEDED_EVENTS + "  Sluice Experience Events")
        .contains(PlatformEmulator.SEEDED_LEGACY + "  Legacy Contacts")
        .contains(PlatformEmulator.SEEDED_CONTACTS + "  Sluice Contacts");
  }

  @Test
  void givenDatasetWithRegistrySchema_whenShowingSchema_thenPrintsTheExpandedFieldsWithXdmTypes() {
    CliRun run = platform("schema", PlatformEmulator.SEEDED_PROFILES);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out().lines().collect(Collectors.toList()))
        .containsExactly(
            "dataset " + PlatformEmulator.SEEDED_PROFILES + ", schema from registry (Person)",
            "  personId: string",
            "  firstName: string",
            "  lastName: string",
            "  birthYear: int",
            "  loyaltyPoints: long",
            "  optIn: boolean");
  }

  @Test
  void givenDatasetWithOnlyLegacyFields_whenShowingSchema_thenFallsBackToFields() {
    CliRun run = platform("schema", PlatformEmulator.SEEDED_LEGACY);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out().lines().collect(Collectors.toList()))
        .containsExactly(
            "dataset " + PlatformEmulator.SEEDED_LEGACY + ", schema from fields",
            "  name: string",
            "  age: string");
  }

  @Test
  void givenEventDataset_whenPreviewing_thenPrintsTheFirstRowsOfItsLatestSuccessfulBatch() {
    CliRun run = platform("preview", PlatformEmulator.SEEDED_EVENTS, "--limit", "5");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    List<String> lines = run.out().lines().collect(Collectors.toList());
    // The latest of the four seeded event batches, an hour apart.
    String batch = "5eed00000000000000000e04";
    assertThat(lines.get(0)).matches("eventId +timestamp +eventType +value");
    assertThat(lines).hasSize(1 + 5 + 1);
    assertThat(lines.get(1))
        .startsWith("eventId-" + batch + "-0-0 ")
        .contains("eventType-" + batch + "-0-0");
    assertThat(lines.get(5)).startsWith("eventId-" + batch + "-0-4 ");
    assertThat(run.out()).doesNotContain("eventId-" + batch + "-0-5");
    assertThat(lines.get(6)).isEqualTo("(5 rows of batch " + batch + ", file part-00000.parquet)");
  }

  @Test
  void givenWrongClientSecret_whenListing_thenExits3WithTheImsErrorAndNoSecret()
      throws IOException {
    String wrong = "not-the-secret-4711";
    Path wrongFile = Files.writeString(dir.resolve("wrong"), wrong);

    CliRun run = platformWithSecret("${file:" + wrongFile + "}", "datasets");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err().lines().count()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("sluice: platform: IMS token endpoint")
        .contains("HTTP 401")
        .contains("invalid_client (invalid client_secret parameter)");
    assertThat(run.out() + run.err())
        .doesNotContain(wrong)
        .doesNotContain(credentials.clientSecret());
  }

  @Test
  void givenSecretAsPlainFlagValue_whenRunning_thenRefusesWithExit2WithoutEchoingIt() {
    CliRun run = platformWithSecret(credentials.clientSecret(), "datasets");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("--client-secret takes a reference");
    assertThat(run.out() + run.err()).doesNotContain(credentials.clientSecret());
  }

  @Test
  void givenUnknownDataset_whenShowingSchema_thenExits3WithThePlatformsAnswer() {
    CliRun run = platform("schema", "5f00000000000000000000ff");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err()).startsWith("sluice: platform: ").contains("404");
  }

  @Test
  void givenUnreachablePlatform_whenListing_thenExits3() throws IOException {
    int closedPort;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    CliRun run =
        CliRun.run(
            "platform",
            "datasets",
            "--base-url",
            "http://127.0.0.1:" + closedPort + "/data/foundation",
            "--token-url",
            "http://127.0.0.1:" + closedPort + "/ims/token/v3",
            "--client-id",
            "c",
            "--client-secret",
            "${file:" + secretFile + "}",
            "--ims-org",
            "o");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err())
        .startsWith("sluice: platform: IMS token endpoint")
        .contains("unreachable");
  }

  @Test
  void givenBadFlags_whenRunning_thenExits2() {
    assertThat(platform("preview", PlatformEmulator.SEEDED_EVENTS, "--limit", "0").exitCode())
        .isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(platform("datasets", "--auth", "basic").exitCode())
        .isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(platform("schema").exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
  }

  @Test
  void
      givenNoSettingsOnTheCommandLine_whenBuildingTheSpec_thenEnvironmentSettingsBecomeReferences() {
    PlatformOptions options =
        CliRun.<PlatformCommand.Datasets>parse("platform", "datasets").platform;
    java.util.Map<String, String> env =
        java.util.Map.of(
            "PLATFORM_BASE_URL",
            "https://platform.example/data/foundation",
            "PLATFORM_TOKEN_URL",
            "https://ims.example/ims/token/v3",
            "PLATFORM_CLIENT_ID",
            "id",
            "PLATFORM_CLIENT_SECRET",
            "s3cret",
            "PLATFORM_IMS_ORG",
            "ORG");

    var spec = options.spec(env::get);

    assertThat(spec.baseUrl()).isEqualTo("${env:PLATFORM_BASE_URL}");
    assertThat(spec.clientSecret()).isEqualTo("${env:PLATFORM_CLIENT_SECRET}");
    assertThat(spec.imsOrg()).isEqualTo("${env:PLATFORM_IMS_ORG}");
    assertThat(spec.sandboxName()).isEqualTo("prod");
    assertThat(spec.authType()).isEqualTo("oauth-server-to-server");
    org.junit.jupiter.api.Assertions.assertThrows(
        PlatformOptions.InvalidSettingException.class,
        () -> options.spec(java.util.Map.of("PLATFORM_BASE_URL", "x")::get));
  }

  @Test
  void givenNestedRegistryAndLegacySchemas_whenPrintingTheTree_thenChildrenAreIndentedUnderParents()
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    DatasetSchema registry =
        new DatasetSchema(
            PlatformCatalogClient.REGISTRY,
            json.readTree(
                "{\"properties\":{\"_tenant\":{\"type\":\"object\",\"meta:xdmType\":\"object\",\"properties\":{"
                    + "\"score\":{\"type\":\"number\"}}},\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
                    + "\"at\":{\"type\":\"string\",\"format\":\"date-time\"}}}"));
    DatasetSchema legacy =
        new DatasetSchema(
            PlatformCatalogClient.FIELDS,
            json.readTree(
                "[{\"name\":\"person\",\"type\":\"object\",\"subFields\":[{\"name\":\"id\",\"type\":\"string\"}]}]"));

    assertThat(PlatformCommand.fieldTree(registry))
        .containsExactly(
            "  _tenant: object",
            "    score: number",
            "  tags: array<string>",
            "  at: string (date-time)");
    assertThat(PlatformCommand.fieldTree(legacy))
        .containsExactly("  person: object", "    id: string");
  }
}
