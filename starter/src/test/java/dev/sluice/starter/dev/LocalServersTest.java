package dev.sluice.starter.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Which server {@code dev}, {@code demo} and {@code server} get, and what they are told. */
class LocalServersTest {
  private static final Function<Consumer<String>, TemporalCli> NO_CLI =
      notice -> {
        throw new TemporalCli.NotAvailableException("no Temporal CLI: none on PATH; no pip");
      };

  private final List<String> notices = new ArrayList<>();

  @Test
  void givenNoCli_whenNoServerWasAskedFor_thenTheEmbeddedOneStartsAfterOneLineSayingWhy() {
    try (LocalTemporal server =
        LocalServers.start(null, TemporalDevServer.Settings.defaults(), notices::add, NO_CLI)) {
      assertThat(server).isInstanceOf(EmbeddedTemporal.class);
      assertThat(server.webUi()).isEmpty();
    }
    assertThat(notices)
        .singleElement()
        .asString()
        .contains("no Temporal CLI: none on PATH; no pip")
        .contains("embedded test server")
        .doesNotContain("\n");
  }

  @Test
  void givenNoCli_whenTheCliServerWasAskedFor_thenItFailsWithTheReason() {
    assertThatThrownBy(
            () ->
                LocalServers.start(
                    ServerKind.TEMPORAL_CLI,
                    TemporalDevServer.Settings.defaults(),
                    notices::add,
                    NO_CLI))
        .isInstanceOf(TemporalCli.NotAvailableException.class)
        .hasMessageContaining("none on PATH");
  }

  @Test
  void givenNoCli_whenADbFileWasGiven_thenItFailsRatherThanDropTheFile() {
    assertThatThrownBy(
            () ->
                LocalServers.start(
                    null,
                    TemporalDevServer.Settings.defaults().withDb(Path.of("runs.sqlite")),
                    notices::add,
                    NO_CLI))
        .isInstanceOf(TemporalCli.NotAvailableException.class);
  }

  @Test
  void givenTheEmbeddedServer_whenADbFileWasGiven_thenItIsRefusedAsBadUsage() {
    assertThatThrownBy(
            () ->
                LocalServers.start(
                    ServerKind.EMBEDDED,
                    TemporalDevServer.Settings.defaults().withDb(Path.of("runs.sqlite")),
                    notices::add,
                    NO_CLI))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--db needs --server temporal-cli");
  }

  @Test
  void theDevServerCommand_bindsEverythingToLoopback_andKeepsTheUiOffline() {
    TemporalCli cli =
        new TemporalCli(Path.of("/opt/temporal"), "1.9.1", TemporalCli.Origin.PROJECT);

    List<String> command =
        TemporalDevServer.command(
            cli,
            TemporalDevServer.Settings.defaults()
                .withPort(7300)
                .withUiPort(8300)
                .withDb(Path.of("/data/runs.sqlite")));

    assertThat(String.join(" ", command))
        .startsWith("/opt/temporal server start-dev")
        .contains("--ip 127.0.0.1")
        .contains("--ui-ip 127.0.0.1")
        .contains("--port 7300")
        .contains("--ui-port 8300")
        .contains("--db-filename /data/runs.sqlite")
        .contains("--ui-disable-news-fetch");
  }

  @Test
  void aRunsWebUiLink_keepsItsWorkflowIdAsOnePathSegment() {
    LocalTemporal withUi =
        new LocalTemporal() {
          @Override
          public int port() {
            return 7233;
          }

          @Override
          public java.util.Optional<String> webUi() {
            return java.util.Optional.of("http://127.0.0.1:8233");
          }

          @Override
          public String description() {
            return "test";
          }

          @Override
          public void close() {}
        };

    assertThat(withUi.runUrl("default", "ingest/contacts/2026-11-22T00:00:00Z", "r-1"))
        .contains(
            "http://127.0.0.1:8233/namespaces/default/workflows/"
                + "ingest%2Fcontacts%2F2026-11-22T00%3A00%3A00Z/r-1/history");
  }
}
