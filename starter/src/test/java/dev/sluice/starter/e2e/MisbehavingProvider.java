package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.GenericExportEmulator;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.starter.dev.DevEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The stack the misbehaving-provider tests run against (embedded Temporal, the sandbox's generic
 * export API, one worker), async-http pipelines for it with short timeouts, and what the tests
 * check after a run: no Parquet, the provider told to drop its export, no worker thread left in
 * an activity.
 */
final class MisbehavingProvider implements AutoCloseable {

  /** Whatever a scenario changes from the normal pipeline. */
  record Pipeline(
      String name,
      String wireFormat,
      String wirePagination,
      int pageSize,
      int records,
      String pagination,
      String format,
      String extractQuery,
      String pageTimeout,
      String statusTimeout) {

    /** 100 CSV events in offset pages of 20, pages due within 2s, ready within 10s. */
    static Pipeline normal(String name) {
      return new Pipeline(
          name,
          "csv",
          "offset",
          20,
          100,
          "{type: offset, param: offset, pageSizeParam: limit, pageSize: 20}",
          "{type: csv}",
          "",
          "2s",
          "10s");
    }

    Pipeline json(String wirePagination, String pagination, String recordsPath) {
      return new Pipeline(
          name,
          "json",
          wirePagination,
          pageSize,
          records,
          pagination,
          "{type: json, recordsPath: " + recordsPath + "}",
          extractQuery,
          pageTimeout,
          statusTimeout);
    }

    Pipeline pages(int size, int count) {
      return new Pipeline(
          name,
          wireFormat,
          wirePagination,
          size,
          count,
          pagination,
          format,
          extractQuery,
          pageTimeout,
          statusTimeout);
    }

    /** One CSV page, downloaded with {@code ?query}. */
    Pipeline unpagedCsv(String query) {
      return new Pipeline(
          name,
          "csv",
          "none",
          pageSize,
          records,
          "{type: none}",
          format,
          query,
          pageTimeout,
          statusTimeout);
    }

    Pipeline format(String yaml) {
      return new Pipeline(
          name,
          wireFormat,
          wirePagination,
          pageSize,
          records,
          pagination,
          yaml,
          extractQuery,
          pageTimeout,
          statusTimeout);
    }

    Pipeline timeouts(String page, String status) {
      return new Pipeline(
          name,
          wireFormat,
          wirePagination,
          pageSize,
          records,
          pagination,
          format,
          extractQuery,
          page,
          status);
    }

    String yaml() {
      String sync = "${env:EXPORT_BASE_URL}/generic/syncs/${requestId}";
      return String.join(
          "\n",
          "name: " + name,
          "source:",
          "  type: async-http",
          "  auth: {type: api-key, header: X-API-Key, key: '${env:EXPORT_API_KEY}'}",
          "  submit:",
          "    method: POST",
          "    url: ${env:EXPORT_BASE_URL}/generic/exports",
          "    headers: {Content-Type: application/json}",
          "    body: '{\"dataset\":\"events\",\"format\":\""
              + wireFormat
              + "\",\"pagination\":\""
              + wirePagination
              + "\",\"pageSize\":"
              + pageSize
              + ",\"records\":"
              + records
              + "}'",
          "    requestId: {from: body, pointer: /uri, regex: '/syncs/([0-9]+)$'}",
          "  status:",
          "    url: " + sync,
          "    field: /status",
          "    readyWhen: ^ready$",
          "    failedWhen: ^failed$",
          "    interval: 1s",
          "    timeout: " + statusTimeout,
          "  extract:",
          "    url: " + sync + "/data" + extractQuery,
          "    pageTimeout: " + pageTimeout,
          "    format: " + format,
          "    pagination: " + pagination,
          "  cleanup:",
          "    abort: {method: DELETE, url: '" + sync + "'}",
          "    delete: {method: DELETE, url: '" + sync + "'}",
          "sink:",
          "  type: parquet",
          "  path: out/" + name,
          "  mode: snapshot",
          "");
    }
  }

  private static final String QUEUE = "misbehaving-provider";
  private static final String ACTIVITY_CODE = "dev.sluice.activities.";

  private final DevEnvironment dev;

  private MisbehavingProvider(DevEnvironment dev) {
    this.dev = dev;
  }

  static MisbehavingProvider start() {
    return new MisbehavingProvider(
        DevEnvironment.start(0, SandboxConfig.defaults().withPollsBeforeReady(1), QUEUE));
  }

  @Override
  public void close() {
    dev.close();
  }

  GenericExportEmulator generic() {
    return dev.sandbox().generic();
  }

  DevEnvironment dev() {
    return dev;
  }

  /** The CLI arguments {@code head}, then the server's address and the worker's task queue. */
  String[] args(String... head) {
    return Stream.concat(
            Stream.of(head),
            Stream.of("--address", dev.temporal().address(), "--task-queue", QUEUE))
        .toArray(String[]::new);
  }

  /** Writes {@code pipeline} into {@code dir}. */
  static Path write(Path dir, Pipeline pipeline) throws IOException {
    Path file = dir.resolve(pipeline.name() + ".yaml");
    Files.writeString(file, pipeline.yaml());
    return file;
  }

  static boolean hasParquet(Path dir, Pipeline pipeline) throws IOException {
    Path table = dir.resolve("out").resolve(pipeline.name());
    if (!Files.exists(table)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(table)) {
      return files.anyMatch(f -> f.toString().endsWith(".parquet"));
    }
  }

  /** Requests to drop an export (abort or delete) the provider received. */
  long deletes() {
    return generic().stats().requests("export-delete");
  }

  /**
   * The threads in Sluice's activity code now (activity executors, page prefetchers, Parquet
   * writers), by name, with the frame they are in.
   */
  static Map<String, String> threadsInActivities() {
    Map<String, String> busy = new java.util.TreeMap<>();
    Thread.getAllStackTraces()
        .forEach(
            (thread, stack) ->
                Stream.of(stack)
                    .filter(frame -> frame.getClassName().startsWith(ACTIVITY_CODE))
                    .findFirst()
                    .ifPresent(frame -> busy.put(thread.getName(), frame.toString())));
    return busy;
  }

  /**
   * Waits up to {@code seconds} for every activity thread to leave Sluice's code (a failed attempt
   * may still be closing its connection when the run's failure arrives), then asserts none is
   * left.
   */
  static void assertNoActivityThreadLeft(int seconds) throws InterruptedException {
    long until = System.nanoTime() + seconds * 1_000_000_000L;
    Map<String, String> busy = threadsInActivities();
    while (!busy.isEmpty() && System.nanoTime() < until) {
      Thread.sleep(100);
      busy = threadsInActivities();
    }
    assertThat(busy).as("threads still in activity code").isEmpty();
  }

  /** Runs {@code name}'s normal pipeline to the end: the worker still serves. */
  void assertServesNormalPipeline(Path dir, String name) throws IOException {
    generic().reset();
    Pipeline normal = Pipeline.normal(name);
    Cli cli =
        Cli.run(
            args("run", write(dir, normal).toString(), "--wait", "--logical-date", "2026-11-22"));
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(hasParquet(dir, normal)).isTrue();
    assertThat(generic().stats().requests("export-data")).as("five pages of 20").isGreaterThan(4);
  }
}
