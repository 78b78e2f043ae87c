package dev.sluice.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class SandboxMainTest {

  @Test
  void givenNoFlags_whenParsing_thenDefaultsOnPort8089() {
    SandboxConfig config = SandboxMain.parse(new String[0]);

    assertThat(config).isEqualTo(SandboxConfig.defaults().withPort(8089));
  }

  @Test
  void givenFlags_whenParsing_thenApplied() {
    SandboxConfig config =
        SandboxMain.parse(
            new String[] {
              "--port", "9000", "--records", "1000000", "--ready-after-polls", "5",
              "--iceberg-warehouse", "/tmp/lake"
            });

    assertThat(config.port()).isEqualTo(9000);
    assertThat(config.icebergWarehouse()).isEqualTo("/tmp/lake");
    assertThat(config.contactRecords()).isEqualTo(1_000_000);
    assertThat(config.pollsBeforeReady()).isEqualTo(5);
  }

  @Test
  void givenUnknownFlagOrMissingValue_whenParsing_thenRejected() {
    assertThatThrownBy(() -> SandboxMain.parse(new String[] {"--verbose"}))
        .hasMessageContaining("--verbose");
    assertThatThrownBy(() -> SandboxMain.parse(new String[] {"--port"}))
        .hasMessageContaining("needs a value");
  }

  @Test
  void givenARunningSandbox_whenBannerPrinted_thenEveryEmulationAndEveryExportTheExamplesUse()
      throws Exception {
    SandboxConfig config = SandboxConfig.defaults().withPort(0);
    try (SandboxServer sandbox = SandboxServer.start(config)) {
      String banner = SandboxMain.banner(sandbox, config);

      assertThat(banner)
          .contains("Data platform:")
          .contains("File share:")
          .contains("export FILES_BASE_URL=" + sandbox.baseUrl())
          .contains("export PLATFORM_BASE_URL=" + sandbox.baseUrl() + "/data/foundation")
          .contains("export PLATFORM_CLIENT_SECRET=sluice-platform-secret")
          .contains("Snowflake SQL API:")
          .contains("export SPAPI_LWA_TOKEN_URL=" + sandbox.baseUrl() + "/auth/o2/token")
          .contains("documents on " + sandbox.s3BaseUrl())
          .contains("export META_GRAPH_URL=" + sandbox.baseUrl() + "/graph")
          .contains("export ICEBERG_REST_URI=" + sandbox.baseUrl() + "/iceberg");
      for (String name : SandboxMain.exports(sandbox, config).keySet()) {
        assertThat(banner).contains("export " + name + "=");
      }
      // The REST catalog is mounted: it answers (here, that it wants a token) as the spec says.
      HttpResponse<String> config401 =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(sandbox.iceberg().uri() + "/v1/config")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(config401.statusCode()).isEqualTo(401);
      assertThat(config401.body()).contains("NotAuthorizedException");
    }
  }
}
