package dev.sluice.activities.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.activities.http.TestServer.Reply;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A single-page body that breaks off half-way is resumed with {@code Range: bytes=N-} when the
 * server proves it sends the rest of the same object, and read again from its start when it lies:
 * ignores the range, serves a changed object, or sends less than the rest. Every row exactly once
 * in each case; the bytes asked for twice counted.
 */
class RangeResumeTest {
  private static final int ROWS = 2000;
  private final ExtractorFixture fixture = new ExtractorFixture();
  private final TestServer server = fixture.server;
  private final AtomicInteger calls = new AtomicInteger();
  private final List<String> ranges = new ArrayList<>();
  private long bytesServed;

  @AfterEach
  void stop() {
    fixture.close();
  }

  private static byte[] csv() {
    StringBuilder body = new StringBuilder("id,name\n");
    for (int i = 0; i < ROWS; i++) {
      body.append(i).append(",name-").append(i).append('\n');
    }
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(bytes);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  /** The whole object, cut off after {@code cut} bytes. */
  private static Reply firstTry(byte[] object, String contentType, String etag, int cut) {
    return new Reply(
            200,
            Map.of("Content-Type", contentType, "Accept-Ranges", "bytes", "ETag", etag),
            Arrays.copyOf(object, cut),
            object.length)
        .withHeader("Last-Modified", "Mon, 07 Dec 2026 07:00:00 GMT");
  }

  /** Bytes {@code from} to {@code to} (inclusive) of {@code object}, as a 206. */
  private static Reply range(byte[] object, String contentType, String etag, int from, int to) {
    return new Reply(
            206,
            Map.of("Content-Type", contentType, "Accept-Ranges", "bytes", "ETag", etag),
            Arrays.copyOfRange(object, from, to + 1),
            to + 1 - from)
        .withHeader("Content-Range", "bytes " + from + "-" + to + "/" + object.length)
        .withHeader("Last-Modified", "Mon, 07 Dec 2026 07:00:00 GMT");
  }

  /** Serves {@code tries} in turn (the last one again), recording the Range asked for. */
  private void serve(List<Function<TestServer.Call, Reply>> tries) {
    server.route(
        "/results",
        call -> {
          ranges.add(String.valueOf(call.header("Range")));
          int i = Math.min(calls.getAndIncrement(), tries.size() - 1);
          Reply reply = tries.get(i).apply(call);
          bytesServed += Math.min(reply.body().length, reply.declaredLength());
          return reply;
        });
  }

  private List<String> extractedIds() {
    PagedExtractor extractor =
        fixture.extractor(
            ExtractorFixture.pagination("none", null, null, null, null), FormatSpec.CSV);
    ExtractResult result =
        fixture.run(extractor, new RecordingWriter(1, fixture.store, null), extractor.start());
    assertThat(result.rows()).isEqualTo(ROWS);
    return fixture.store.stream().map(row -> String.valueOf(row.get(0))).toList();
  }

  private static List<String> allIds() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      ids.add(Integer.toString(i));
    }
    return ids;
  }

  @Test
  void givenIdentityBodyBrokenOff_whenServerSendsTheRest_thenResumedWithNoByteTwice() {
    byte[] object = csv();
    int cut = object.length / 3;
    serve(
        List.of(
            call -> firstTry(object, "text/csv", "\"v1\"", cut),
            call -> range(object, "text/csv", "\"v1\"", cut, object.length - 1)));

    assertThat(extractedIds()).containsExactlyElementsOf(allIds());
    assertThat(ranges).containsExactly("null", "bytes=" + cut + "-");
    assertThat(bytesServed).isEqualTo(object.length);
  }

  @Test
  void givenGzipBodyBrokenOff_whenServerSendsTheRest_thenTheInflaterGoesOnWithNoRowTwice() {
    byte[] object = gzip(csv());
    int cut = object.length / 2;
    serve(
        List.of(
            call -> firstTry(object, "application/gzip", "\"g1\"", cut),
            call -> range(object, "application/gzip", "\"g1\"", cut, object.length - 1)));

    assertThat(extractedIds()).containsExactlyElementsOf(allIds());
    assertThat(ranges).containsExactly("null", "bytes=" + cut + "-");
    assertThat(bytesServed).isEqualTo(object.length);
  }

  @Test
  void givenServerIgnoringRange_whenResumed_thenItsWholeBodyIsReadAndEveryRowOnce() {
    byte[] object = csv();
    int cut = object.length / 2;
    serve(
        List.of(
            call -> firstTry(object, "text/csv", "\"v1\"", cut),
            call -> Reply.of(200, "text/csv", new String(object, StandardCharsets.UTF_8))));

    assertThat(extractedIds()).containsExactlyElementsOf(allIds());
    assertThat(ranges).containsExactly("null", "bytes=" + cut + "-");
    assertThat(bytesServed).isEqualTo(cut + object.length);
  }

  @Test
  void givenObjectChangedBetweenTries_whenResumed_thenReadAgainFromItsStartEveryRowOnce() {
    byte[] object = csv();
    int cut = object.length / 2;
    serve(
        List.of(
            call -> firstTry(object, "text/csv", "\"v1\"", cut),
            call -> range(object, "text/csv", "\"v2\"", cut, object.length - 1),
            call -> firstTry(object, "text/csv", "\"v2\"", object.length)));

    assertThat(extractedIds()).containsExactlyElementsOf(allIds());
    assertThat(ranges).containsExactly("null", "bytes=" + cut + "-", "null");
  }

  @Test
  void givenRangeStartingElsewhere_whenResumed_thenReadAgainFromItsStart() {
    byte[] object = csv();
    int cut = object.length / 2;
    serve(
        List.of(
            call -> firstTry(object, "text/csv", "\"v1\"", cut),
            call -> range(object, "text/csv", "\"v1\"", cut - 10, object.length - 1),
            call -> firstTry(object, "text/csv", "\"v1\"", object.length)));

    assertThat(extractedIds()).containsExactlyElementsOf(allIds());
    assertThat(ranges).containsExactly("null", "bytes=" + cut + "-", "null");
  }

  @Test
  void givenRangeShorterThanTheRest_whenResumed_thenTheRestOfThatIsAskedForNext() {
    byte[] object = csv();
    int cut = object.length / 3;
    int next = cut + 1000;
    serve(
        List.of(
            call -> firstTry(object, "text/csv", "\"v1\"", cut),
            call -> range(object, "text/csv", "\"v1\"", cut, next - 1),
            call -> range(object, "text/csv", "\"v1\"", next, object.length - 1)));

    assertThat(extractedIds()).containsExactlyElementsOf(allIds());
    assertThat(ranges).containsExactly("null", "bytes=" + cut + "-", "bytes=" + next + "-");
    assertThat(bytesServed).isEqualTo(object.length);
  }

  @Test
  void givenNoAcceptRanges_whenBrokenOff_thenEachTryReadsFromTheStart() {
    byte[] object = csv();
    int cut = object.length / 2;
    String text = new String(object, StandardCharsets.UTF_8);
    serve(
        List.of(
            call ->
                Reply.of(200, "text/csv", text)
                    .withHeader("ETag", "\"v1\"")
                    .truncatedFrom(object.length + 1000),
            call -> Reply.of(200, "text/csv", text)));

    assertThat(extractedIds()).containsExactlyElementsOf(allIds());
    assertThat(ranges).containsExactly("null", "null");
  }
}
