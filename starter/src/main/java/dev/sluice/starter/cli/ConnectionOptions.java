package dev.sluice.starter.cli;

import dev.sluice.workers.TemporalConnectionSettings;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * Where the Temporal service is: the same flags on every command that talks to it, defaulting to
 * Temporal's own environment variables ({@code TEMPORAL_ADDRESS}, {@code TEMPORAL_NAMESPACE};
 * blank counts as unset). TLS and the API key come from the environment only ({@link
 * TemporalConnectionSettings#fromEnvironment}).
 */
public final class ConnectionOptions {
  @Option(
      names = "--address",
      paramLabel = "HOST:PORT",
      converter = AddressConverter.class,
      description = "Temporal frontend address (default: $TEMPORAL_ADDRESS or 127.0.0.1:7233).",
      defaultValue = "${env:TEMPORAL_ADDRESS:-" + TemporalConnectionSettings.DEFAULT_ADDRESS + "}")
  String address;

  @Option(
      names = "--namespace",
      paramLabel = "NAME",
      converter = NamespaceConverter.class,
      description = "Temporal namespace (default: $TEMPORAL_NAMESPACE or default).",
      defaultValue =
          "${env:TEMPORAL_NAMESPACE:-" + TemporalConnectionSettings.DEFAULT_NAMESPACE + "}")
  String namespace;

  public String address() {
    return address;
  }

  public String namespace() {
    return namespace;
  }

  /**
   * {@code host:port} or {@code [ipv6]:port}, port 1-65535; blank is the default address. Checked
   * here because gRPC takes {@code garbage} as a name to resolve, and fails only when called.
   */
  static final class AddressConverter implements ITypeConverter<String> {
    private static final Pattern HOST_PORT =
        Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9_.-]+):(\\d{1,5})");

    @Override
    public String convert(String value) {
      if (value == null || value.isBlank()) {
        return TemporalConnectionSettings.DEFAULT_ADDRESS;
      }
      String address = value.trim();
      Matcher m = HOST_PORT.matcher(address);
      if (!m.matches()) {
        throw new TypeConversionException(
            "'" + value + "' is not HOST:PORT (e.g. 127.0.0.1:7233, or [::1]:7233)");
      }
      int port = Integer.parseInt(m.group(2));
      if (port < 1 || port > 65535) {
        throw new TypeConversionException(
            "'" + value + "': the port must be 1-65535, not " + m.group(2));
      }
      return address;
    }
  }

  /** A namespace as given; blank is the default namespace. */
  static final class NamespaceConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return value == null || value.isBlank()
          ? TemporalConnectionSettings.DEFAULT_NAMESPACE
          : value.trim();
    }
  }
}
