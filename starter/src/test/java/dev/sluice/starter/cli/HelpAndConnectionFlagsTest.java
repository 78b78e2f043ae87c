package dev.sluice.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a new user reads first: the help texts, and the answer to a mistyped address. */
class HelpAndConnectionFlagsTest {

  @Test
  void givenTopLevelHelp_whenPrinted_thenEveryCommandsSummaryIsAWholeSentence() {
    CliRun help = CliRun.run("--help");

    List<String> commands =
        help.out()
            .lines()
            .dropWhile(line -> !line.equals("Commands:"))
            .skip(1)
            .takeWhile(line -> !line.isBlank())
            .toList();
    // A summary is the command's first description line, wrapped: it must end a sentence.
    StringBuilder summary = new StringBuilder();
    for (String line : commands) {
      if (!line.startsWith("   ") && summary.length() > 0) {
        assertThat(summary.toString().strip()).as(summary.toString()).endsWith(".");
        summary.setLength(0);
      }
      summary.append(line).append(' ');
    }
    assertThat(summary.toString().strip()).endsWith(".");
    assertThat(help.out()).contains("notify").contains("windows").contains("platform");
  }

  @Test
  void givenPlatformHelp_whenPrinted_thenReferenceSyntaxShownLiterally_notExpanded() {
    CliRun help = CliRun.run("platform", "datasets", "--help");

    // Without white space: the help wraps lines inside a reference.
    String text = help.out().replaceAll("\\s+", "");
    assertThat(text)
        .contains("${env:NAME}or${file:/path}")
        .contains("(default:${env:PLATFORM_CLIENT_SECRET})")
        .contains("${file:/path}or${env:NAME}")
        .contains("(default:${env:PLATFORM_PRIVATE_KEY})")
        .doesNotContain("nullornull");
    assertThat(help.out())
        .doesNotContain("null or null");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:7233", "temporal.example.com:443", "[::1]:7233", "h_1:1"})
  void givenHostAndPort_whenParsed_thenAccepted(String address) {
    StatusCommand status = CliRun.parse("status", "some-id", "--address", address);

    assertThat(status.connection.address()).isEqualTo(address);
  }

  @Test
  void givenABlankAddressOrNamespace_whenParsed_thenTheDefaults() {
    StatusCommand status =
        CliRun.parse("status", "some-id", "--address", " ", "--namespace", "");

    assertThat(status.connection.address()).isEqualTo("127.0.0.1:7233");
    assertThat(status.connection.namespace()).isEqualTo("default");
  }

  @ParameterizedTest
  @ValueSource(strings = {"garbage", "host:", ":7233", "host:99999", "host:port", "a b:1"})
  void givenAnAddressThatIsNotHostAndPort_whenRun_thenOneLineAndExit2_beforeConnecting(
      String address) {
    CliRun run = CliRun.run("list", "--address", address);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err().lines().findFirst().orElseThrow())
        .startsWith("Invalid value for option '--address': '" + address + "'");
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void givenAnUnresolvableHost_whenRun_thenOneLineSayingSo_exit3_noGrpcWarning() {
    // gRPC warns (with a stack trace) through java.util.logging; collect what reaches its loggers.
    java.util.logging.Logger grpc = java.util.logging.Logger.getLogger("io.grpc");
    List<java.util.logging.LogRecord> published = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler collect =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord record) {
            published.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    grpc.addHandler(collect);
    CliRun run;
    try {
      run = CliRun.run("list", "--address", "nosuchhost.invalid:7233");
    } finally {
      grpc.removeHandler(collect);
    }

    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err().lines().toList()).hasSize(1);
    assertThat(run.err()).startsWith("cannot reach Temporal at nosuchhost.invalid:7233");
    assertThat(published)
        .noneMatch(r -> r.getLevel().intValue() <= java.util.logging.Level.WARNING.intValue());
  }

  @Test
  void givenWorkerAndDev_whenParsedWithDebug_thenTheFlagIsTaken() {
    WorkerCommand worker = CliRun.parse("worker", "--debug");
    DevCommand dev = CliRun.parse("dev", "--debug");

    assertThat(worker.debug.debug).isTrue();
    assertThat(dev.debug.debug).isTrue();
  }
}
