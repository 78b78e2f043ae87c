package dev.sluice.starter.cli;

import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Option;

/**
 * How much the libraries under the CLI say. By default: nothing but warnings, and one line per
 * failed step (the {@code simplelogger.properties} of the starter). {@code --debug} on {@code dev}
 * and {@code worker}, or {@code SLUICE_DEBUG} set for any command, brings back the stack traces.
 */
public final class DebugLogging {
  /**
   * gRPC logs through java.util.logging, not SLF4J: an unresolvable address is a 20-line warning
   * with a stack trace, printed before the command's own one-line message. Held here because
   * java.util.logging keeps only weak references to its loggers (and forgets their levels).
   */
  private static final Logger GRPC = Logger.getLogger("io.grpc");

  /** The {@code --debug} flag of long-running commands. */
  public static final class Flag {
    @Option(
        names = "--debug",
        description =
            "Print stack traces: of failed activity attempts and runs (otherwise one line each),"
                + " and of connection problems. Same as setting SLUICE_DEBUG.")
    boolean debug;

    /** Applies the flag; call before the worker starts (loggers read their level once). */
    public void apply() {
      configure(debug || requested());
    }
  }

  private DebugLogging() {}

  /** Whether {@code SLUICE_DEBUG} asks for stack traces. */
  public static boolean requested() {
    String value = System.getenv("SLUICE_DEBUG");
    return value != null && !value.isBlank();
  }

  /**
   * Quiet (or, with {@code debug}, verbose) library logging. SLF4J levels are read when a logger is
   * first created, so this must run before the Temporal worker classes are used.
   */
  public static synchronized void configure(boolean debug) {
    GRPC.setLevel(debug ? null : Level.SEVERE);
    if (debug) {
      // System properties win over simplelogger.properties.
      System.setProperty("org.slf4j.simpleLogger.log.dev.sluice.workers.RunLog", "debug");
      System.setProperty("org.slf4j.simpleLogger.log.io.temporal.internal.activity", "warn");
      System.setProperty(
          "org.slf4j.simpleLogger.log.io.temporal.internal.sync.WorkflowExecutionHandler", "warn");
    }
  }

  /** Only warnings from the worker's run log (the demo prints its own progress). */
  public static void quietRuns() {
    if (!requested()) {
      System.setProperty("org.slf4j.simpleLogger.log.dev.sluice.workers.RunLog", "warn");
    }
  }
}
