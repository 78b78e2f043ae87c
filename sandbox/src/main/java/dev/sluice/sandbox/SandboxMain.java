package dev.sluice.sandbox;

import java.util.Arrays;
import java.util.Iterator;

/**
 * Runs the sandbox until the process is killed: {@code ./sluice sandbox [flags]}, or with the
 * sandbox and its dependencies on the class path, {@code java -cp starter/target/sluice.jar
 * dev.sluice.sandbox.SandboxMain [--port 8089] [--records 1000] [--ready-after-polls 2] [--bind
 * 127.0.0.1]}.
 */
public final class SandboxMain {

  static final int DEFAULT_PORT = 8089;
  private static final String USAGE =
      "usage: sandbox [--port N (default 8089)] [--records N (default 1000)] [--ready-after-polls N"
          + " (default 2)] [--bind ADDRESS (default 127.0.0.1)]";

  private SandboxMain() {}

  /** Starts the sandbox, prints how to point the example pipeline at it, and blocks. */
  public static void main(String[] args) throws InterruptedException {
    SandboxConfig config;
    try {
      config = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    SandboxServer sandbox = SandboxServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "sandbox-shutdown"));
    System.out.println(banner(sandbox, config));
    // Nothing to do but serve: block until the JVM is killed, then the hook closes the server.
    Thread.currentThread().join();
  }

  /**
   * Reads the flags over {@link SandboxConfig#defaults()} with port {@value #DEFAULT_PORT}.
   *
   * @throws IllegalArgumentException for an unknown flag or a missing or non-numeric value
   */
  static SandboxConfig parse(String[] args) {
    SandboxConfig config = SandboxConfig.defaults().withPort(DEFAULT_PORT);
    Iterator<String> it = Arrays.asList(args).iterator();
    while (it.hasNext()) {
      String flag = it.next();
      switch (flag) {
        case "--port" -> config = config.withPort(intValue(flag, it));
        case "--records" -> config = config.withContactRecords(intValue(flag, it));
        case "--ready-after-polls" -> config = config.withPollsBeforeReady(intValue(flag, it));
        case "--bind" -> config = config.withBindAddress(stringValue(flag, it));
        default -> throw new IllegalArgumentException("unknown flag: " + flag);
      }
    }
    return config;
  }

  private static String stringValue(String flag, Iterator<String> it) {
    if (!it.hasNext()) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return it.next();
  }

  private static int intValue(String flag, Iterator<String> it) {
    if (!it.hasNext()) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    String value = it.next();
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " needs a number, got " + value);
    }
  }

  /** What a user needs to point the example pipelines at a running sandbox. */
  public static String banner(SandboxServer sandbox, SandboxConfig config) {
    String url = sandbox.baseUrl();
    return String.join(
        System.lineSeparator(),
        "Sluice sandbox listening on " + url,
        "  Salesforce Bulk API 2.0: "
            + config.contactRecords()
            + " Contacts, jobs complete on status poll "
            + config.pollsBeforeReady(),
        "  Generic export API:      POST "
            + url
            + "/generic/exports  (X-API-Key: "
            + config.apiKey()
            + ")",
        "  Knobs and stats:         POST "
            + url
            + "/sandbox/salesforce/knobs, GET "
            + url
            + "/sandbox/salesforce/stats",
        "",
        "To run the example pipelines against it, where the workers run:",
        "  export SF_LOGIN_URL=" + url,
        "  export SF_INSTANCE_URL=" + url,
        "  export SF_CLIENT_ID=" + config.clientId(),
        "  export SF_CLIENT_SECRET=" + config.clientSecret(),
        "  export EXPORT_BASE_URL=" + url,
        "  export EXPORT_API_KEY=" + config.apiKey(),
        "",
        "Press Ctrl+C to stop.");
  }
}
