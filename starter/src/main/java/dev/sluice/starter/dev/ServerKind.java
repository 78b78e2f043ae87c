package dev.sluice.starter.dev;

import java.util.Locale;

/** Which local Temporal server {@code sluice dev}, {@code demo} and {@code server} start. */
public enum ServerKind {
  /** The Temporal CLI's dev server: Schedules, visibility, Web UI ({@link TemporalDevServer}). */
  TEMPORAL_CLI,
  /** Temporal's Java test server, in this process ({@link EmbeddedTemporal}). */
  EMBEDDED;

  /** {@code temporal-cli}, {@code embedded}: what users type. */
  public String flag() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The kind a user typed.
   *
   * @throws IllegalArgumentException naming the choices, for anything else
   */
  public static ServerKind ofFlag(String value) {
    for (ServerKind kind : values()) {
      if (kind.flag().equals(value)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "'" + value + "' is not a server: temporal-cli or embedded");
  }
}
