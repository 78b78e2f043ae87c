package dev.sluice.starter.cli;

import picocli.CommandLine.Option;

/**
 * Where the Temporal service is: the same flags on every command that talks to it, defaulting to
 * Temporal's own environment variables.
 */
public final class ConnectionOptions {
  @Option(
      names = "--address",
      paramLabel = "HOST:PORT",
      description = "Temporal frontend address (default: $TEMPORAL_ADDRESS or ${DEFAULT-VALUE}).",
      defaultValue = "${env:TEMPORAL_ADDRESS:-127.0.0.1:7233}")
  String address;

  @Option(
      names = "--namespace",
      paramLabel = "NAME",
      description = "Temporal namespace (default: $TEMPORAL_NAMESPACE or ${DEFAULT-VALUE}).",
      defaultValue = "${env:TEMPORAL_NAMESPACE:-default}")
  String namespace;

  public String address() {
    return address;
  }

  public String namespace() {
    return namespace;
  }
}
