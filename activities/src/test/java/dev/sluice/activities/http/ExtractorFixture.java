package dev.sluice.activities.http;

import com.fasterxml.jackson.core.JsonFactory;
import dev.sluice.activities.auth.Authenticator;
import dev.sluice.activities.auth.MutableClock;
import dev.sluice.activities.formats.Compression;
import dev.sluice.activities.formats.PageParsers;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.PaginationSpec;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * A {@link PagedExtractor} against a {@link TestServer} route {@code /results}, with a clock and a
 * retry wait that tests control: {@link #sleeps} records every wait before a retry and moves the
 * clock instead of sleeping.
 */
final class ExtractorFixture implements AutoCloseable {
  /** Fast in-place retries: a test sees the tries, not the waits. */
  static final PageRetryPolicy QUICK =
      new PageRetryPolicy(
          8, 4, 2, Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofMinutes(1));

  final TestServer server = new TestServer();
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final ProviderHttp http =
      new ProviderHttp(new OkHttpClient(), Authenticator.NONE, new HttpMetrics(registry), clock);
  final List<List<Object>> store = new CopyOnWriteArrayList<>();
  final List<ExtractCheckpoint> heartbeats = new CopyOnWriteArrayList<>();
  final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  static PaginationSpec pagination(
      String type, String header, String param, String pointer, Integer pageSize) {
    String sizeParam = pageSize == null ? null : "maxRecords";
    return switch (type) {
      case "header-locator" ->
          new PaginationSpec.HeaderLocator(header, param, null, sizeParam, pageSize, null);
      case "next-url" -> new PaginationSpec.NextUrl(pointer, sizeParam, pageSize, null);
      case "cursor" -> new PaginationSpec.Cursor(pointer, param, sizeParam, pageSize, null);
      case "page" -> new PaginationSpec.Page(param, null, sizeParam, pageSize, null);
      case "offset" -> new PaginationSpec.Offset(param, null, sizeParam, pageSize, null);
      default -> new PaginationSpec.None(sizeParam, pageSize, null);
    };
  }

  /** The plan of pages under {@code /results}, with the quick retry policy. */
  ExtractPlan plan(PaginationSpec paginationSpec, FormatSpec format) {
    Pagination pagination = Pagination.of(paginationSpec);
    return ExtractPlan.of(
            new Request.Builder().url(server.url("/results")).header("Accept", "text/csv").build(),
            pagination,
            PageParsers.forFormat(format, new JsonFactory(), pagination.bodyPointers()),
            Compression.AUTO)
        .withRetry(QUICK);
  }

  PagedExtractor extractor(PaginationSpec pagination, FormatSpec format) {
    return extractor(plan(pagination, format));
  }

  PagedExtractor extractor(
      PaginationSpec pagination, FormatSpec format, UnaryOperator<ExtractPlan> change) {
    return extractor(change.apply(plan(pagination, format)));
  }

  PagedExtractor extractor(ExtractPlan plan) {
    return new PagedExtractor(
        http,
        new HttpMetrics(registry),
        plan,
        clock,
        (duration, guard) -> {
          sleeps.add(duration);
          clock.advance(duration);
        },
        Duration.ofMillis(50));
  }

  /** Runs {@code extractor} from {@code from}, heartbeats going to {@link #heartbeats}. */
  ExtractResult run(PagedExtractor extractor, RecordingWriter writer, ExtractCheckpoint from) {
    return extractor.run(
        writer,
        from,
        new CheckpointHeartbeat(heartbeats::add, clock, Duration.ofSeconds(10), from));
  }

  /** The last checkpoint heartbeated. */
  ExtractCheckpoint lastCheckpoint() {
    return heartbeats.get(heartbeats.size() - 1);
  }

  @Override
  public void close() {
    server.close();
  }
}
