package dev.sluice.starter.dev;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Starts the local Temporal server a command asked for: the Temporal CLI's dev server when one can
 * be had, else (unless it was asked for by name, or a {@code --db} file needs it) the embedded test
 * server, after saying in one line what was missing and how to get it.
 */
public final class LocalServers {
  private LocalServers() {}

  /**
   * Starts a server on 127.0.0.1.
   *
   * @param kind the server asked for; null for the default: the dev server when it can be had
   * @param settings ports (0: any free one), SQLite file and the rest; the embedded server takes
   *     only the port
   * @param notice told one-line notes: an install starting, a fallback to the embedded server
   * @throws IllegalArgumentException for a {@code --db} file with the embedded server, which has no
   *     persistence
   * @throws TemporalCli.NotAvailableException when the dev server was required but no CLI could be
   *     had
   * @throws TemporalDevServer.StartException when the dev server was required but did not start
   */
  public static LocalTemporal start(
      ServerKind kind, TemporalDevServer.Settings settings, Consumer<String> notice) {
    return start(kind, settings, notice, TemporalCli::find);
  }

  /** As the public {@code start}, finding the CLI with {@code find}. */
  static LocalTemporal start(
      ServerKind kind,
      TemporalDevServer.Settings settings,
      Consumer<String> notice,
      Function<Consumer<String>, TemporalCli> find) {
    if (kind == ServerKind.EMBEDDED) {
      if (settings.db() != null) {
        throw new IllegalArgumentException(
            "--db needs --server temporal-cli: the embedded server keeps nothing across restarts");
      }
      return EmbeddedTemporal.start(settings.port());
    }
    // A --db file is a promise to keep runs: never drop it silently for the embedded server.
    boolean required = kind == ServerKind.TEMPORAL_CLI || settings.db() != null;
    try {
      TemporalCli cli = find.apply(notice);
      return TemporalDevServer.start(cli, settings);
    } catch (TemporalCli.NotAvailableException | TemporalDevServer.StartException e) {
      if (required) {
        throw e;
      }
      notice.accept(
          "note: "
              + e.getMessage()
              + ". Using the embedded test server instead (no Schedules, visibility queries or"
              + " Web UI; --server embedded skips this check)");
      return EmbeddedTemporal.start(settings.port());
    }
  }
}
