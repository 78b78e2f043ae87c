package dev.sluice.starter.cli;

import dev.sluice.starter.SluiceCli;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs or parses the {@code sluice} command line in-process, capturing what it prints. */
public record CliRun(int exitCode, String out, String err) {

  /** Runs {@code args} as {@code sluice} would, capturing both outputs. */
  public static CliRun run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = SluiceCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The innermost subcommand object {@code args} select, with its options set; nothing runs. */
  @SuppressWarnings("unchecked")
  static <T> T parse(String... args) {
    CommandLine.ParseResult result = SluiceCli.commandLine().parseArgs(args);
    while (result.hasSubcommand()) {
      result = result.subcommand();
    }
    return (T) result.commandSpec().userObject();
  }

  /**
   * The valid test pipeline {@code minimal.yaml} (submits to api.example.com), written into {@code
   * dir}.
   */
  public static Path minimalPipeline(Path dir) throws IOException {
    try (InputStream in = CliRun.class.getResourceAsStream("/spec/minimal.yaml")) {
      Path file = dir.resolve("minimal.yaml");
      Files.write(file, in.readAllBytes());
      return file;
    }
  }
}
