package dev.sluice.starter.cli;

import picocli.CommandLine.Option;

/** {@code --output text|json}, for the commands that print a report a script may read. */
public final class OutputOption {
  /** Output formats. */
  enum Format {
    text,
    json
  }

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text or json (default: ${DEFAULT-VALUE}).")
  Format format;

  /** Whether JSON was asked for. */
  boolean json() {
    return format == Format.json;
  }
}
