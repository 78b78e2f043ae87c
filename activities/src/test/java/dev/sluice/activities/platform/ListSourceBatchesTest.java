package dev.sluice.activities.platform;

import dev.sluice.activities.http.ProviderClients;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.parquet.TableFormats;
import java.time.Clock;
import dev.sluice.activities.platform.FakePlatform.Reply;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.PlatformBatchesSource;
import dev.sluice.pipeline.PlatformConnectionSpec;
import dev.sluice.sandbox.platform.ContentBatchSeed.FileSeed;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.PlatformSourceActivities;
import dev.sluice.workflows.activities.PlatformSourceMessages.ListBatchesRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.ListBatchesResult;
import dev.sluice.workflows.activities.PlatformSourceMessages.SourceBatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A source dataset's batches of a window, in created order, against the platform emulation. */
class ListSourceBatchesTest {
  static SourceSandbox sandbox;

  @BeforeAll
  static void start() {
    sandbox = new SourceSandbox();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @BeforeEach
  void reset() {
    sandbox.reset();
  }

  void seed(String id, long created) {
    sandbox.seed(id, created, FileSeed.text("a.csv", "id\n" + id + "\n"));
  }

  ListBatchesResult list(int pageSize, long after, String afterId, long before, int limit) {
    return sandbox.activities.listBatches(
        new ListBatchesRequest(
            sandbox.source(SourceSandbox.TYPED, pageSize), after, afterId, before, limit));
  }

  static List<String> ids(ListBatchesResult result) {
    return result.batches().stream().map(SourceBatch::batchId).toList();
  }

  @Test
  void givenMoreBatchesThanAPage_whenListing_thenEveryPageIsReadInCreatedOrder() {
    // Seeded out of order; seven batches over pages of two.
    long[] created = {7_000, 2_000, 5_000, 1_000, 6_000, 3_000, 4_000};
    for (long c : created) {
      seed("b" + c, c);
    }

    ListBatchesResult result = list(2, 0, null, Long.MAX_VALUE, 100);

    assertThat(ids(result))
        .containsExactly("b1000", "b2000", "b3000", "b4000", "b5000", "b6000", "b7000");
    assertThat(result.more()).isFalse();
  }

  @Test
  void
      givenBatchesAroundTheWindow_whenListing_thenCreatedAfterIsInclusiveAndCreatedBeforeExclusive() {
    seed("b-before-start", 999);
    seed("b-at-start", 1_000);
    seed("b-inside", 1_500);
    seed("b-just-before-end", 1_999);
    seed("b-at-end", 2_000);

    ListBatchesResult result = list(2, 1_000, null, 2_000, 100);

    assertThat(ids(result)).containsExactly("b-at-start", "b-inside", "b-just-before-end");
  }

  @Test
  void givenTiesAtTheWatermark_whenListingAfterTheLastBatchRead_thenOnlyGreaterIdsOfThatInstant() {
    seed("b-a", 1_000);
    seed("b-b", 1_000);
    seed("b-c", 1_000);
    seed("b-d", 1_000);
    seed("b-later", 1_001);

    ListBatchesResult result = list(2, 1_000, "b-b", Long.MAX_VALUE, 100);

    assertThat(ids(result)).containsExactly("b-c", "b-d", "b-later");
  }

  @Test
  void givenMoreBatchesThanTheLimit_whenListing_thenTheOldestUpToTheLimitAndMore() {
    for (int i = 1; i <= 5; i++) {
      seed("b" + i, i * 1_000L);
    }

    ListBatchesResult three = list(2, 0, null, Long.MAX_VALUE, 3);
    ListBatchesResult five = list(2, 0, null, Long.MAX_VALUE, 5);

    assertThat(ids(three)).containsExactly("b1", "b2", "b3");
    assertThat(three.more()).isTrue();
    assertThat(ids(five)).containsExactly("b1", "b2", "b3", "b4", "b5");
    assertThat(five.more()).isFalse();
  }

  @Test
  void givenBatchesInEveryStatus_whenListing_thenAllAreListedWithTheirOutcome() {
    seed("b1", 1_000);
    sandbox.seed("b2", 2_000, "failed");
    sandbox.seed("b3", 3_000, "processing");

    ListBatchesResult result = list(100, 0, null, Long.MAX_VALUE, 100);

    assertThat(result.batches())
        .containsExactly(
            new SourceBatch("b1", 1_000, "success", Outcome.READY),
            new SourceBatch("b2", 2_000, "failed", Outcome.FAILED),
            new SourceBatch("b3", 3_000, "processing", Outcome.PENDING));
  }

  @Test
  void
      givenTiesOrderedOtherwiseAcrossPages_whenTheLimitFallsInsideThem_thenTheSmallestIdsAreTaken() {
    // Ascending by created as asked, but ties by descending ID, one batch per page: a client that
    // stopped at the limit would take b-2c and, its watermark past b-2a and b-2b, never read them.
    List<String> served = List.of("b-1", "b-2c", "b-2b", "b-2a", "b-3");
    Map<String, Long> created =
        Map.of("b-1", 1_000L, "b-2a", 2_000L, "b-2b", 2_000L, "b-2c", 2_000L, "b-3", 3_000L);
    try (FakeCatalog catalog =
        new FakeCatalog(
            query -> {
              int start = Integer.parseInt(query.get("start"));
              int limit = Integer.parseInt(query.get("limit"));
              return served
                  .subList(Math.min(start, served.size()), Math.min(start + limit, served.size()))
                  .stream()
                  .map(id -> batch(id, created.get(id), "success"))
                  .collect(Collectors.joining(",", "{", "}"));
            })) {

      ListBatchesResult result = catalog.list(1, new ListBatchesRequest(null, 0, null, 10_000, 2));

      assertThat(ids(result)).containsExactly("b-1", "b-2a");
      assertThat(result.more()).isTrue();
    }
  }

  @Test
  void givenAPlatformIgnoringSortAndPaging_whenListing_thenStillInCreatedOrderAndEachOnce() {
    // Newest first, every batch on every page, whatever start and limit say.
    String all =
        "{"
            + String.join(
                ",",
                batch("z", 3, "success"),
                batch("y", 2, "success"),
                batch("x", 2, "loading"),
                batch("w", 1, "success"))
            + "}";
    try (FakeCatalog catalog = new FakeCatalog(query -> all)) {

      ListBatchesResult result = catalog.list(2, new ListBatchesRequest(null, 2, "x", 100, 100));

      assertThat(ids(result)).containsExactly("y", "z");
      assertThat(catalog.queries.get(0))
          .containsEntry("dataSet", "D")
          .containsEntry("sort", "asc:created")
          .containsEntry("createdAfter", "1")
          .containsEntry("createdBefore", "100");
    }
  }

  static String batch(String id, long created, String status) {
    return "\"" + id + "\":{\"created\":" + created + ",\"status\":\"" + status + "\"}";
  }

  /** A Catalog on loopback answering batch listings with {@code answer(query)}. */
  static final class FakeCatalog implements AutoCloseable {
    final FakePlatform fake = new FakePlatform();
    final TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    final List<Map<String, String>> queries = new CopyOnWriteArrayList<>();

    FakeCatalog(Function<Map<String, String>, String> answer) {
      fake.route(
          "POST",
          "/ims/token/v3",
          c -> Reply.json(200, "{\"access_token\":\"t\",\"expires_in\":3600}"));
      fake.route(
          "GET",
          "/data/foundation/catalog/batches",
          c -> {
            Map<String, String> query = new HashMap<>();
            for (String pair : c.query().split("&")) {
              String[] kv = pair.split("=", 2);
              query.put(
                  URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                  URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            queries.add(query);
            return Reply.json(200, answer.apply(query));
          });
      env.registerActivitiesImplementations(
          new PlatformSourceActivitiesImpl(
              new ProviderClients(
                  new OkHttpClient(),
                  new ObjectMapper(),
                  new SecretResolver(Map.of("S", "secret")::get, "w"),
                  new SimpleMeterRegistry()),
              new HadoopFiles(new Configuration()),
              TableFormats.parquet(new HadoopFiles(new Configuration()), Clock.systemUTC())));
    }

    ListBatchesResult list(int pageSize, ListBatchesRequest window) {
      PlatformBatchesSource source =
          new PlatformBatchesSource(
              new PlatformConnectionSpec(
                  fake.url("/data/foundation"),
                  null,
                  fake.url("/ims/token/v3"),
                  "client",
                  "${env:S}",
                  null,
                  null,
                  null,
                  null,
                  "ORG@AdobeOrg",
                  null,
                  null),
              "D",
              null,
              null,
              null,
              null,
              pageSize,
              null,
              null);
      return env.newActivityStub(
              PlatformSourceActivities.class,
              ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build())
          .listBatches(
              new ListBatchesRequest(
                  source,
                  window.createdAfter(),
                  window.afterBatchId(),
                  window.createdBefore(),
                  window.limit()));
    }

    @Override
    public void close() {
      env.close();
      fake.close();
    }
  }
}
