package dev.sluice.activities.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.auth.MutableClock;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.TestServer.Reply;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.AuthSpec;
import dev.sluice.pipeline.ExtractSpec;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.RequestSpec;
import dev.sluice.pipeline.ResultSpec;
import dev.sluice.pipeline.StatusSpec;
import dev.sluice.pipeline.SubmitSpec;
import dev.sluice.workflows.activities.HttpJobActivities;
import dev.sluice.workflows.activities.Messages.ExtractRequest;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import dev.sluice.workflows.activities.Messages.SubmitResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code extract.result}: a result named by the status answer, resolved by a GET into a URL on
 * another host (the SP-API shape), fetched without credentials, GZIP from the answer; expired URLs
 * replaced; {@code ${submit:/ptr}} captured by the submit; missing pointers named.
 */
class ResultLocationTest {
  private static final String CSV = "id\tname\n1\tAda\n2\tGrace\n3\tAlan\n";
  private static final String EXPIRED =
      "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>";

  private final TestServer api = new TestServer();
  private final TestServer bucket = new TestServer();
  private final HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());
  private final HttpJobActivitiesImpl activities =
      new HttpJobActivitiesImpl(
          new ProviderClients(
              new OkHttpClient(),
              new ObjectMapper(),
              new SecretResolver(name -> name.equals("TOKEN") ? "s3cr3t" : null, "w1"),
              new SimpleMeterRegistry(),
              new MutableClock(Instant.parse("2026-11-22T00:00:00Z"))),
          files);
  private final Map<String, String> vars =
      Map.of("runId", "ingest/orders/2026-11-22", "requestId", "R1");
  private final AtomicInteger signatures = new AtomicInteger();

  @TempDir Path dir;

  @AfterEach
  void stop() {
    api.close();
    bucket.close();
  }

  private AsyncHttpSource source(String url, int maxRefreshes) {
    return source(url, maxRefreshes, null);
  }

  private AsyncHttpSource source(String url, int maxRefreshes, String expiresAtPointer) {
    return new AsyncHttpSource(
        new AuthSpec.Bearer("${env:TOKEN}"),
        new SubmitSpec("POST", api.url("/reports"), null, "{}", null),
        new StatusSpec(
            null,
            api.url("/reports/${requestId}"),
            null,
            "/processingStatus",
            "^DONE$",
            "FATAL",
            null,
            null,
            null,
            null,
            null, null),
        new ExtractSpec(
            null,
            Map.of("Accept", "text/tab-separated-values"),
            new FormatSpec.Csv("\t", null, null, null, null, null, null),
            null,
            null,
            null,
            null,
            new ResultSpec.Url(
                url,
                List.of(
                    new RequestSpec(
                        null, api.url("/documents/${status:/reportDocumentId}"), null, null)),
                "/compressionAlgorithm",
                null,
                null,
                maxRefreshes,
                expiresAtPointer)),
        null,
        null, null, null);
  }

  private void routeApi() {
    api.route(
        "/reports/R1",
        call -> Reply.json(200, "{\"processingStatus\":\"DONE\",\"reportDocumentId\":\"DOC-7\"}"));
    api.route(
        "/documents/DOC-7",
        call ->
            Reply.json(
                200,
                "{\"url\":\""
                    + bucket.url("/doc.tsv.gz?X-Amz-Signature=sig" + signatures.incrementAndGet())
                    + "\",\"compressionAlgorithm\":\"GZIP\"}"));
  }

  private ExtractResult extract(AsyncHttpSource source) {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try {
      env.registerActivitiesImplementations(activities);
      HttpJobActivities stub =
          env.newActivityStub(
              HttpJobActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofSeconds(30))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
      ParquetSink sink = new ParquetSink("file://" + dir + "/table", null, null, null, null, null);
      return stub.extract(
          new ExtractRequest("run-1", source, vars, sink, "file://" + dir + "/staging", null));
    } finally {
      env.close();
    }
  }

  private static Reply gzip(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    byte[] body = bytes.toByteArray();
    // Served as a file: no Content-Encoding, so only compressionPointer says it is gzip.
    return new Reply(200, Map.of("Content-Type", "application/octet-stream"), body, body.length);
  }

  @Test
  void
      givenDocumentIdInStatus_whenExtracted_thenResolvedUrlFetchedWithoutCredentialsAndGunzipped() {
    routeApi();
    bucket.route("/doc.tsv.gz", call -> gzip(CSV));

    ExtractResult result = extract(source("${resolved:/url}", 5));

    assertThat(result.rows()).isEqualTo(3);
    assertThat(api.calls("/reports/R1").get(0).header("Authorization")).isEqualTo("Bearer s3cr3t");
    assertThat(api.calls("/documents/DOC-7").get(0).header("Authorization"))
        .isEqualTo("Bearer s3cr3t");
    TestServer.Call download = bucket.calls("/doc.tsv.gz").get(0);
    assertThat(download.header("Authorization")).isNull();
    assertThat(download.header("Accept")).as("extract.headers stay on the provider").isNull();
  }

  @Test
  void givenProviderRedirectingToAnotherHost_whenExtracted_thenTheAuthHeaderDoesNotFollow() {
    AsyncHttpSource plain = source("${resolved:/url}", 5);
    AsyncHttpSource source =
        new AsyncHttpSource(
            new AuthSpec.ApiKey("x-amz-access-token", "${env:TOKEN}"),
            plain.submit(),
            plain.status(),
            plain.extract(),
            null, null, null, null);
    routeApi();
    api.route("/download", call -> Reply.redirect(bucket.url("/doc.tsv.gz")));
    api.route(
        "/documents/DOC-7",
        call ->
            Reply.json(
                200,
                "{\"url\":\"" + api.url("/download") + "\",\"compressionAlgorithm\":\"GZIP\"}"));
    bucket.route("/doc.tsv.gz", call -> gzip(CSV));

    ExtractResult result = extract(source);

    assertThat(result.rows()).isEqualTo(3);
    assertThat(api.calls("/download").get(0).header("x-amz-access-token")).isEqualTo("s3cr3t");
    assertThat(bucket.calls("/doc.tsv.gz").get(0).header("x-amz-access-token")).isNull();
  }

  @Test
  void givenUrlExpired_whenExtracted_thenStatusAndResolveAskedAgainAndEveryRowOnce() {
    routeApi();
    bucket.route(
        "/doc.tsv.gz",
        call ->
            "X-Amz-Signature=sig1".equals(call.query())
                ? Reply.of(403, "application/xml", EXPIRED)
                : gzip(CSV));

    ExtractResult result = extract(source("${resolved:/url}", 5));

    assertThat(result.rows()).isEqualTo(3);
    assertThat(api.calls("/reports/R1")).hasSize(2);
    assertThat(api.calls("/documents/DOC-7")).hasSize(2);
    assertThat(bucket.calls("/doc.tsv.gz")).hasSize(2);
  }

  @Test
  void givenUrlThatKeepsExpiring_whenExtracted_thenResultUrlExpiredAfterMaxRefreshes() {
    routeApi();
    bucket.route("/doc.tsv.gz", call -> Reply.of(403, "application/xml", EXPIRED));

    assertThatThrownBy(() -> extract(source("${resolved:/url}", 1)))
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("ResultUrlExpired");
              assertThat(f.getOriginalMessage())
                  .contains("Request has expired")
                  .contains("maxRefreshes")
                  .doesNotContain("sig2");
            });
    assertThat(bucket.calls("/doc.tsv.gz")).hasSize(2);
  }

  @Test
  void
      givenPointerMissingFromTheResolveAnswer_whenExtracted_thenNonRetryableNamingPointerAndAnswer() {
    routeApi();

    assertThatThrownBy(() -> extract(source("${resolved:/downloadUrl}", 5)))
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("AnswerValueMissing");
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage())
                  .contains("JSON pointer /downloadUrl finds no value")
                  .contains("extract.result.resolve[0]")
                  .contains("/documents/DOC-7");
            });
    assertThat(bucket.calls("/doc.tsv.gz")).isEmpty();
  }

  @Test
  void givenSubmitValueReferenced_whenSubmitted_thenCapturedAndKeptInTheReceipt() {
    AsyncHttpSource plain = source("${resolved:/url}", 5);
    AsyncHttpSource source =
        new AsyncHttpSource(
            plain.auth(),
            plain.submit(),
            new StatusSpec(
                null,
                api.url("/statements/${submit:/statementHandle}"),
                null,
                "/processingStatus",
                "^DONE$",
                null,
                null,
                null,
                null,
                null,
                null, null),
            plain.extract(),
            null, null, null, null);
    api.route(
        "/reports", call -> Reply.json(202, "{\"id\":\"R1\",\"statementHandle\":\"01b-99\"}"));
    SubmitRequest request =
        new SubmitRequest("run-1", source, vars, "file://" + dir + "/jobs/run-1.json");

    SubmitResult first = activities.submit(request);
    SubmitResult again = activities.submit(request);

    assertThat(first.values()).isEqualTo(Map.of("/statementHandle", "01b-99"));
    assertThat(again.reused()).isTrue();
    assertThat(again.values()).isEqualTo(first.values());
    assertThat(api.calls("/reports")).hasSize(1);
  }

  /** getReportDocument answering with an expiry: the first URL's {@code first}, later ones'. */
  private void routeExpiringUrls(String first, String later) {
    routeApi();
    api.route(
        "/documents/DOC-7",
        call -> {
          int n = signatures.incrementAndGet();
          return Reply.json(
              200,
              "{\"url\":\""
                  + bucket.url("/doc.tsv.gz?X-Amz-Signature=sig" + n)
                  + "\",\"compressionAlgorithm\":\"GZIP\",\"urlExpiresAt\":"
                  + (n == 1 ? first : later)
                  + "}");
        });
    bucket.route(
        "/doc.tsv.gz",
        call ->
            "X-Amz-Signature=sig1".equals(call.query())
                ? Reply.of(403, "application/xml", EXPIRED)
                : gzip(CSV));
  }

  @Test
  void givenUrlExpiringWithinTheMargin_whenExtracted_thenFreshUrlFirstAndNo403() {
    // The clock is at 2026-11-22T00:00:00Z: the first URL expires in 10 s, the second in 5 min.
    routeExpiringUrls("\"2026-11-22T00:00:10Z\"", "\"2026-11-22T00:05:00.000Z\"");

    ExtractResult result = extract(source("${resolved:/url}", 5, "/urlExpiresAt"));

    assertThat(result.rows()).isEqualTo(3);
    assertThat(api.calls("/documents/DOC-7")).hasSize(2);
    assertThat(bucket.calls("/doc.tsv.gz"))
        .extracting(TestServer.Call::query)
        .containsExactly("X-Amz-Signature=sig2");
  }

  @Test
  void givenExpiryInEpochSecondsFarAhead_whenExtracted_thenTheFirstUrlIsUsed() {
    long inAnHour = Instant.parse("2026-11-22T01:00:00Z").getEpochSecond();
    routeExpiringUrls(Long.toString(inAnHour), Long.toString(inAnHour));
    bucket.route("/doc.tsv.gz", call -> gzip(CSV));

    ExtractResult result = extract(source("${resolved:/url}", 5, "/urlExpiresAt"));

    assertThat(result.rows()).isEqualTo(3);
    assertThat(api.calls("/documents/DOC-7")).hasSize(1);
  }

  @Test
  void givenExpiryThatIsNotATime_whenExtracted_thenNonRetryableNamingThePointer() {
    routeExpiringUrls("\"soon\"", "\"soon\"");

    assertThatThrownBy(() -> extract(source("${resolved:/url}", 5, "/urlExpiresAt")))
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("AnswerValueMissing");
              assertThat(f.getOriginalMessage())
                  .contains("/urlExpiresAt")
                  .contains("'soon'")
                  .contains("expiresAtPointer");
            });
    assertThat(bucket.calls("/doc.tsv.gz")).isEmpty();
  }
}
