package dev.sluice.sandbox;

import dev.sluice.sandbox.iceberg.IcebergRestCatalog;
import dev.sluice.sandbox.platform.PlatformCredentials;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the sandbox until the process is killed: {@code ./sluice sandbox [flags]}, or with the
 * sandbox and its dependencies on the class path, {@code java -cp starter/target/sluice.jar
 * dev.sluice.sandbox.SandboxMain [--port 8089] [--records 1000] [--ready-after-polls 2] [--bind
 * 127.0.0.1] [--iceberg-warehouse DIR]}.
 */
public final class SandboxMain {

  static final int DEFAULT_PORT = 8089;
  private static final String USAGE =
      "usage: sandbox [--port N (default 8089)] [--records N (default 1000)] [--ready-after-polls N"
          + " (default 2)] [--bind ADDRESS (default 127.0.0.1)] [--iceberg-warehouse DIR (default: a"
          + " temporary directory)]";

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
        case "--iceberg-warehouse" -> config = config.withIcebergWarehouse(stringValue(flag, it));
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
    List<String> lines = new ArrayList<>();
    lines.add("Sluice sandbox listening on " + url);
    lines.add(
        "  Salesforce Bulk API 2.0: "
            + config.contactRecords()
            + " Contacts, jobs complete on status poll "
            + config.pollsBeforeReady());
    lines.add(
        "  Generic export API:      POST "
            + url
            + "/generic/exports  (X-API-Key: "
            + config.apiKey()
            + ")");
    lines.add(
        "  Data platform:           "
            + url
            + "/data/foundation (Catalog, Data Access, Data Ingestion), IMS at "
            + url
            + "/ims/token/v3");
    lines.add(
        "  File share:              GET " + url + "/files/listing, " + url + "/files/content/NAME");
    lines.add(
        "  Amazon SP-API Reports:   "
            + url
            + "/reports/2021-06-30, LWA at "
            + url
            + "/auth/o2/token, documents on "
            + sandbox.s3BaseUrl());
    lines.add("  Snowflake SQL API:       POST " + url + "/api/v2/statements");
    lines.add("  Meta Ads Insights:       " + url + "/graph/v21.0/act_<id>/insights (async runs)");
    lines.add(
        "  Iceberg REST catalog:    "
            + sandbox.iceberg().uri()
            + " (OAuth2 at /iceberg/v1/oauth/tokens), tables under "
            + (config.icebergWarehouse() == null
                ? "a temporary directory (--iceberg-warehouse DIR to keep them)"
                : config.icebergWarehouse()));
    lines.add(
        "  Knobs and stats:         POST "
            + url
            + "/sandbox/salesforce/knobs, GET "
            + url
            + "/sandbox/salesforce/stats (also /sandbox/generic, /sandbox/platform, /sandbox/files,"
            + " /sandbox/spapi, /sandbox/snowflake, /sandbox/meta)");
    lines.add("");
    lines.add("To run the example pipelines against it, where the workers run:");
    exports(sandbox, config).forEach((name, value) -> lines.add("  export " + name + "=" + value));
    lines.add("");
    lines.add("Press Ctrl+C to stop.");
    return String.join(System.lineSeparator(), lines);
  }

  /**
   * The variables the example pipelines reference, pointing at {@code sandbox}: its Salesforce and
   * generic export APIs, file share, data platform, SP-API, Snowflake and Meta emulations, with the
   * sandbox's fixed credentials.
   */
  public static Map<String, String> exports(SandboxServer sandbox, SandboxConfig config) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SF_LOGIN_URL", sandbox.baseUrl());
    env.put("SF_INSTANCE_URL", sandbox.baseUrl());
    env.put("SF_CLIENT_ID", config.clientId());
    env.put("SF_CLIENT_SECRET", config.clientSecret());
    env.put("EXPORT_BASE_URL", sandbox.baseUrl());
    env.put("EXPORT_API_KEY", config.apiKey());
    // The file share (listing endpoint and files) of examples/files-share-reports.yaml.
    env.put("FILES_BASE_URL", sandbox.baseUrl());
    // The Experience Platform emulation (same port): what `sluice platform` and platform pipelines
    // read.
    PlatformCredentials platform = sandbox.platform().credentials();
    env.put("PLATFORM_BASE_URL", sandbox.baseUrl() + "/data/foundation");
    env.put("PLATFORM_TOKEN_URL", sandbox.baseUrl() + "/ims/token/v3");
    env.put("PLATFORM_CLIENT_ID", platform.clientId());
    env.put("PLATFORM_CLIENT_SECRET", platform.clientSecret());
    env.put("PLATFORM_IMS_ORG", platform.imsOrg());
    env.put("PLATFORM_SANDBOX", platform.sandboxName());
    // The async-export providers: the real services' base URLs replace these (see the how-tos).
    env.put("SPAPI_ENDPOINT", sandbox.baseUrl());
    env.put("SPAPI_LWA_TOKEN_URL", sandbox.baseUrl() + "/auth/o2/token");
    env.put("SPAPI_CLIENT_ID", SpApiEmulator.CLIENT_ID);
    env.put("SPAPI_CLIENT_SECRET", SpApiEmulator.CLIENT_SECRET);
    env.put("SPAPI_REFRESH_TOKEN", SpApiEmulator.REFRESH_TOKEN);
    env.put("SNOWFLAKE_ACCOUNT_URL", sandbox.baseUrl());
    env.put("SNOWFLAKE_TOKEN", SnowflakeEmulator.TOKEN);
    env.put("META_GRAPH_URL", sandbox.baseUrl() + "/graph");
    env.put("META_ACCESS_TOKEN", MetaInsightsEmulator.TOKEN);
    env.put("META_AD_ACCOUNT_ID", MetaInsightsEmulator.AD_ACCOUNT_ID);
    // The iceberg sink's `catalog: {type: rest}` (docs/how-to/iceberg.md).
    env.put("ICEBERG_REST_URI", sandbox.iceberg().uri());
    env.put(
        "ICEBERG_REST_CREDENTIAL",
        IcebergRestCatalog.CLIENT_ID + ":" + IcebergRestCatalog.CLIENT_SECRET);
    return env;
  }
}
