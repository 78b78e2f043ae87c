package dev.sluice.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.starter.dev.ServerKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The local-server flags of {@code dev}, {@code demo} and {@code server}, parsed, not run. */
class LocalServerFlagsTest {
  @Test
  void givenNoServerFlag_whenParsed_thenTheDefaultIsLeftToWhatCanBeHad() {
    DevCommand dev = CliRun.parse("dev");

    assertThat(dev.server.server()).isNull();
    assertThat(dev.server.db()).isNull();
    assertThat(dev.ports.port).isNull();
  }

  @Test
  void givenServerDbAndPorts_whenParsed_thenEachIsKept() {
    ServerCommand server =
        CliRun.parse(
            "server", "--server", "temporal-cli", "--db", "runs.sqlite", "--port", "0",
            "--ui-port", "9000");

    assertThat(server.server.server()).isEqualTo(ServerKind.TEMPORAL_CLI);
    assertThat(server.server.db()).isEqualTo(Path.of("runs.sqlite"));
    assertThat(server.ports.port).isZero();
    assertThat(server.ports.uiPort).isEqualTo(9000);
  }

  @Test
  void givenTheEmbeddedServer_whenTheDemoIsParsed_thenItIsChosen() {
    DemoCommand demo = CliRun.parse("demo", "--server", "embedded", "--keep-running");

    assertThat(demo.server.server()).isEqualTo(ServerKind.EMBEDDED);
    assertThat(demo.keepRunning).isTrue();
  }

  @Test
  void givenAnUnknownServer_whenRun_thenUsageErrorNamesTheChoices() {
    CliRun run = CliRun.run("dev", "--server", "docker");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("'docker' is not a server: temporal-cli or embedded");
  }

  @Test
  void givenTheEmbeddedServerAndADbFile_whenRun_thenRefusedBeforeAnythingStarts() {
    CliRun run = CliRun.run("server", "--server", "embedded", "--db", "runs.sqlite", "--port", "0");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("--db needs --server temporal-cli");
  }
}
