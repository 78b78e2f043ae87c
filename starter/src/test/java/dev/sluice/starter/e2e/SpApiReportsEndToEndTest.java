package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SpApiEmulator;
import dev.sluice.sandbox.SpApiStats;
import dev.sluice.starter.dev.DevEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/amazon-sp-api-orders.yaml through {@code sluice run --wait} against the SP-API
 * emulation: the result named by the status answer (reportDocumentId), resolved by
 * getReportDocument into a pre-signed S3 URL on another host, GZIP from the answer; no credential
 * sent to S3; an URL that expires in the middle of the download replaced and the download resumed
 * from the byte it stopped at (GZIP and plain documents); an access token revoked mid-run replaced
 * once, and a refused refresh failing the run with the report cancelled.
 */
class SpApiReportsEndToEndTest {
  static final String QUEUE = "e2e-spapi";
  static final long SEED = 13;
  static final int ROWS = 400;
  static DevEnvironment dev;

  @TempDir static Path work;

  @BeforeAll
  static void startStack() {
    dev = DevEnvironment.start(0, SandboxConfig.defaults().withSeed(SEED), QUEUE);
  }

  @AfterAll
  static void stopStack() {
    dev.close();
  }

  // Not reset(): that revokes the access tokens the worker has cached, which SP-API answers with
  // 403
  // (not 401) and costs a fresh token the token tests count. Each test counts from where the last
  // one left.
  @BeforeEach
  void setKnobs() {
    spApi().rows(ROWS);
    spApi().processing(2, Duration.ZERO);
    spApi().outcome("DONE");
    spApi().gzipDocuments(true);
    before = spApi().stats();
    bytesBefore = spApi().documentBytesServed();
  }

  private long bytesBefore;

  /** Document bytes the S3 host sent since the test began. */
  private long bytesServed() {
    return spApi().documentBytesServed() - bytesBefore;
  }

  /** Runs {@code knob} once the test's report was created, while the run goes on. */
  private Cli runWhileCreated(Path pipeline, String logicalDate, Runnable knob) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    Thread watcher =
        new Thread(
            () -> {
              try {
                while (!stop.get() && spApi().stats().reportsCreated() <= before.reportsCreated()) {
                  Thread.sleep(2);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              if (!stop.get()) {
                knob.run();
              }
            });
    watcher.start();
    try {
      return run(pipeline, logicalDate);
    } finally {
      stop.set(true);
      watcher.join();
    }
  }

  private SpApiStats before;

  private SpApiStats stats() {
    SpApiStats now = spApi().stats();
    return new SpApiStats(
        0,
        0,
        0,
        now.documentRequests() - before.documentRequests(),
        now.downloads() - before.downloads(),
        now.expiredUrlRefusals() - before.expiredUrlRefusals(),
        now.credentialsSentToS3() - before.credentialsSentToS3(),
        0,
        0,
        0,
        java.util.Map.of(),
        java.util.Map.of());
  }

  static SpApiEmulator spApi() {
    return dev.sandbox().spApi();
  }

  /** The example, copied beside its own output, polling fast. */
  static Path example(String dir, String from, String to) throws IOException {
    String yaml =
        Files.readString(Path.of("../examples/amazon-sp-api-orders.yaml"))
            .replace("interval: 2s", "interval: 100ms")
            .replace(from, to);
    Path folder = work.resolve(dir);
    Files.createDirectories(folder);
    Path file = folder.resolve("orders.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  /** Runs the window of the day before {@code logicalDate} (each test its own window). */
  static Cli run(Path pipeline, String logicalDate) throws Exception {
    return Cli.run(
        "run",
        pipeline.toString(),
        "--wait",
        "--logical-date",
        logicalDate,
        "--address",
        dev.temporal().address(),
        "--task-queue",
        QUEUE);
  }

  /** Each row as the report line it came from (tab-separated), in order-id order. */
  static List<String> rows(Path table) throws SQLException {
    String sql =
        "SELECT \"amazon-order-id\", strftime(\"purchase-date\", '%Y-%m-%dT%H:%M:%SZ'), sku,"
            + " CAST(quantity AS VARCHAR), CAST(\"item-price\" AS VARCHAR), currency"
            + " FROM read_parquet('"
            + table
            + "/*.parquet') ORDER BY \"amazon-order-id\"";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        List<String> fields = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
          fields.add(rs.getString(i));
        }
        rows.add(String.join("\t", fields));
      }
      return rows;
    }
  }

  /** The report's lines for the window ending at {@code logicalDate}, in order-id order. */
  static List<String> served(String logicalDate) {
    Instant start = Instant.parse(logicalDate).minus(Duration.ofDays(1));
    return spApi().reportLines(start, ROWS).stream().sorted().toList();
  }

  static boolean published(Path table) throws IOException {
    if (!Files.isDirectory(table)) {
      return false;
    }
    try (Stream<Path> files = Files.list(table)) {
      return files.anyMatch(f -> f.toString().endsWith(".parquet"));
    }
  }

  @Test
  void givenExample_whenRun_thenEveryRowOnceAndNoCredentialReachesS3() throws Exception {
    Path pipeline = example("plain", "timeout: 2h", "timeout: 2h");

    Cli run = run(pipeline, "2026-11-02T00:00:00Z");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(rows(pipeline.resolveSibling("out/amazon-sp-api-orders")))
        .containsExactlyElementsOf(served("2026-11-02T00:00:00Z"));
    assertThat(stats().credentialsSentToS3()).isZero();
    assertThat(stats().downloads()).isEqualTo(1);
  }

  @Test
  void givenUrlExpiringInTheMiddleOfTheDownload_whenRun_thenFreshUrlAndEveryRowOnce()
      throws Exception {
    Path pipeline = example("expiry", "timeout: 2h", "timeout: 2h");
    // The first download breaks off half-way; before it is tried again (250 ms later), every URL
    // handed out so far expires: the retry gets S3's 403 "Request has expired".
    spApi().dropConnections(SpApiEmulator.OBJECT_KIND, 1);
    AtomicBoolean stop = new AtomicBoolean();
    Thread expirer =
        new Thread(
            () -> {
              try {
                while (!stop.get() && stats().downloads() < 1) {
                  Thread.sleep(2);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              spApi().expireIssuedUrls();
            });
    expirer.start();
    Cli run;
    try {
      run = run(pipeline, "2026-11-03T00:00:00Z");
    } finally {
      stop.set(true);
      expirer.join();
    }

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(rows(pipeline.resolveSibling("out/amazon-sp-api-orders")))
        .containsExactlyElementsOf(served("2026-11-03T00:00:00Z"));
    assertThat(stats().expiredUrlRefusals()).as("a URL expired").isGreaterThanOrEqualTo(1);
    assertThat(stats().documentRequests()).as("a fresh URL").isGreaterThanOrEqualTo(2);
    assertThat(stats().credentialsSentToS3()).isZero();
  }

  @Test
  void givenFatalReport_whenRun_thenFailsNamingTheStatusAndPublishesNothing() throws Exception {
    Path pipeline = example("fatal", "timeout: 2h", "timeout: 2h");
    spApi().outcome("FATAL");

    Cli run = run(pipeline, "2026-11-04T00:00:00Z");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.out() + run.err()).contains("FATAL");
    assertThat(published(pipeline.resolveSibling("out/amazon-sp-api-orders"))).isFalse();
    assertThat(stats().downloads()).isZero();
  }

  @Test
  void givenPointerMissingFromTheAnswer_whenRun_thenFailsNamingItNothingPublishedJobCleanedUp()
      throws Exception {
    Path pipeline =
        example(
            "missing", "      url: ${resolved:/url}\n", "      url: ${resolved:/downloadUrl}\n");
    // A delete, so the clean-up of a ready job's result shows in history.
    Files.writeString(
        pipeline,
        Files.readString(pipeline)
            .replace(
                "  cleanup:\n",
                "  cleanup:\n"
                    + "    delete:\n"
                    + "      method: DELETE\n"
                    + "      url:"
                    + " ${env:SPAPI_ENDPOINT}/reports/2021-06-30/reports/${requestId}\n"));

    Cli run = run(pipeline, "2026-11-05T00:00:00Z");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.out() + run.err())
        .contains("JSON pointer /downloadUrl finds no value")
        .contains("extract.result.resolve[0]");
    assertThat(published(pipeline.resolveSibling("out/amazon-sp-api-orders"))).isFalse();
    assertThat(stats().downloads()).isZero();
    String history =
        dev
            .client()
            .fetchHistory("ingest/amazon-sp-api-orders/2026-11-05T00:00:00Z")
            .getEvents()
            .stream()
            .map(Object::toString)
            .collect(Collectors.joining("\n"));
    assertThat(history).contains("Delete").doesNotContain("X-Amz-Signature");
  }

  @Test
  void givenGzipDocumentWhoseUrlExpiresMidBody_whenRun_thenResumedWhereItStoppedEveryRowOnce()
      throws Exception {
    Path pipeline = example("gzip-resume", "timeout: 2h", "timeout: 2h");
    // The download is cut after 1,500 bytes of the GZIP document and its URL expires: the retry
    // gets S3's 403, asks getReportDocument again and resumes the same inflater from byte 1,500.
    spApi().expireUrlAfterBytes(1500);

    Cli run = run(pipeline, "2026-11-06T00:00:00Z");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(rows(pipeline.resolveSibling("out/amazon-sp-api-orders")))
        .containsExactlyElementsOf(served("2026-11-06T00:00:00Z"));
    assertThat(stats().expiredUrlRefusals()).as("the URL expired").isEqualTo(1);
    assertThat(stats().documentRequests()).as("a fresh URL").isEqualTo(2);
    assertThat(spApi().lastDocumentSize()).isGreaterThan(1500);
    assertThat(bytesServed()).as("no byte sent twice").isEqualTo(spApi().lastDocumentSize());
    assertThat(stats().credentialsSentToS3()).isZero();
  }

  @Test
  void givenIdentityDocumentWhoseUrlExpiresMidBody_whenRun_thenResumedByRangeNoByteFetchedTwice()
      throws Exception {
    Path pipeline = example("identity-resume", "timeout: 2h", "timeout: 2h");
    spApi().gzipDocuments(false);
    spApi().expireUrlAfterBytes(7000);

    Cli run = run(pipeline, "2026-11-07T00:00:00Z");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(rows(pipeline.resolveSibling("out/amazon-sp-api-orders")))
        .containsExactlyElementsOf(served("2026-11-07T00:00:00Z"));
    assertThat(stats().expiredUrlRefusals()).as("the URL expired").isEqualTo(1);
    assertThat(stats().documentRequests()).as("a fresh URL").isEqualTo(2);
    long size = spApi().lastDocumentSize();
    assertThat(size).isGreaterThan(2 * 7000);
    // 7,000 bytes before the cut, the other size - 7,000 by the range: 0 bytes fetched again.
    assertThat(bytesServed()).as("bytes fetched again").isEqualTo(size);
  }

  @Test
  void givenAccessTokenRevokedMidRun_whenRun_thenOneFreshTokenAndTheRunSucceeds() throws Exception {
    Path pipeline = example("revoked", "timeout: 2h", "timeout: 2h");

    Cli run = runWhileCreated(pipeline, "2026-11-08T00:00:00Z", spApi()::revokeAccessTokens);

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(rows(pipeline.resolveSibling("out/amazon-sp-api-orders")))
        .containsExactlyElementsOf(served("2026-11-08T00:00:00Z"));
    SpApiStats now = spApi().stats();
    assertThat(now.unauthorized() - before.unauthorized()).as("403 Unauthorized").isEqualTo(1);
    assertThat(now.tokenGrants() - before.tokenGrants()).as("fresh tokens").isEqualTo(1);
    assertThat(stats().credentialsSentToS3()).isZero();
  }

  @Test
  void givenAccessTokenRevokedAndRefreshRefused_whenRun_thenClearFailureNothingPublishedCancelled()
      throws Exception {
    Path pipeline = example("refused", "timeout: 2h", "timeout: 2h");

    Cli run =
        runWhileCreated(
            pipeline,
            "2026-11-09T00:00:00Z",
            () -> {
              spApi().refuseTokenGrants(1);
              spApi().revokeAccessTokens();
            });

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.out() + run.err()).contains("invalid_grant");
    assertThat(published(pipeline.resolveSibling("out/amazon-sp-api-orders"))).isFalse();
    SpApiStats now = spApi().stats();
    assertThat(now.cancels() - before.cancels()).as("the report cancelled").isEqualTo(1);
    assertThat(now.reportsInFlight()).isZero();
    assertThat(stats().downloads()).isZero();
  }
}
