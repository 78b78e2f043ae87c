package dev.sluice.activities.http;

import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.activities.formats.Compression;
import dev.sluice.activities.http.TestServer.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page's body is kept in memory up to its limit and spooled to a file beyond it; either way the
 * parser reads back exactly the bytes written, and releasing the page leaves no file behind. A body
 * that breaks off after it was spooled goes on in the same file when the rest arrives.
 */
class PageBufferTest {
  @TempDir Path spool;

  private static byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }

  /** Writes {@code body} in uneven pieces, as reads from a socket arrive. */
  private static void writeInPieces(PageBuffer buffer, byte[] body) {
    int at = 0;
    int piece = 1;
    while (at < body.length) {
      int n = Math.min(piece, body.length - at);
      buffer.write(body, at, n);
      at += n;
      piece = piece * 3 + 7;
    }
    buffer.complete();
  }

  private static byte[] readBack(PageBuffer buffer) throws IOException {
    try (InputStream in = buffer.open()) {
      return in.readAllBytes();
    }
  }

  private long filesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.count();
    }
  }

  @Test
  void givenBodyWithinTheLimit_whenRead_thenTheSameBytesFromMemoryAndNoFile() throws IOException {
    byte[] body = bytes(3 * PageBuffer.CHUNK + 123);
    try (PageBuffer buffer = new PageBuffer(spool, 1 << 20)) {
      writeInPieces(buffer, body);

      assertThat(buffer.spilled()).isFalse();
      assertThat(buffer.size()).isEqualTo(body.length);
      assertThat(readBack(buffer)).isEqualTo(body);
      assertThat(readBack(buffer)).as("each open reads from the start").isEqualTo(body);
      assertThat(filesIn(spool)).isZero();
    }
  }

  @Test
  void givenBodyLargerThanTheLimit_whenRead_thenSpooledToAFileWithTheSameBytes()
      throws IOException {
    byte[] body = bytes(5 * PageBuffer.CHUNK + 77);
    PageBuffer buffer = new PageBuffer(spool, 2 * PageBuffer.CHUNK + 5);
    writeInPieces(buffer, body);

    assertThat(buffer.spilled()).isTrue();
    assertThat(filesIn(spool)).isOne();
    assertThat(readBack(buffer)).isEqualTo(body);

    buffer.close();
    assertThat(filesIn(spool)).as("the spool file is deleted with the page").isZero();
  }

  @Test
  void givenEmptyBody_whenRead_thenNothing() throws IOException {
    try (PageBuffer buffer = new PageBuffer(spool, 1 << 20)) {
      buffer.complete();
      assertThat(readBack(buffer)).isEmpty();
      try (InputStream in = buffer.open()) {
        assertThat(in.read()).isEqualTo(-1);
      }
    }
  }

  @Test
  void givenBodyInMemory_whenReadByteByByte_thenTheSameBytes() throws IOException {
    byte[] body = bytes(PageBuffer.CHUNK + 3);
    try (PageBuffer buffer = new PageBuffer(spool, 1 << 20)) {
      writeInPieces(buffer, body);
      byte[] read = new byte[body.length];
      try (InputStream in = buffer.open()) {
        for (int i = 0; i < read.length; i++) {
          read[i] = (byte) in.read();
        }
        assertThat(in.read()).isEqualTo(-1);
      }
      assertThat(read).isEqualTo(body);
    }
  }

  @Test
  void givenSpooledBodyBrokenOff_whenTheRestArrivesWithARange_thenTheFileHoldsEachByteOnce()
      throws IOException {
    StringBuilder csv = new StringBuilder("id,name\n");
    for (int i = 0; i < 5000; i++) {
      csv.append(i).append(",name-").append(i).append('\n');
    }
    byte[] object = csv.toString().getBytes(StandardCharsets.UTF_8);
    int cut = object.length / 2;
    AtomicInteger calls = new AtomicInteger();
    Map<String, String> headers =
        Map.of("Content-Type", "text/csv", "Accept-Ranges", "bytes", "ETag", "\"v1\"");
    try (TestServer server = new TestServer()) {
      server.route(
          "/results",
          call ->
              calls.getAndIncrement() == 0
                  ? new Reply(200, headers, Arrays.copyOf(object, cut), object.length)
                  : new Reply(
                          206,
                          headers,
                          Arrays.copyOfRange(object, cut, object.length),
                          object.length - cut)
                      .withHeader(
                          "Content-Range",
                          "bytes " + cut + "-" + (object.length - 1) + "/" + object.length));
      OkHttpClient client = new OkHttpClient();
      Request request = new Request.Builder().url(server.url("/results")).build();
      // Far below the body: it is spooled before it breaks off.
      PartialBody body = new PartialBody(spool, 1000);
      try (Response first = client.newCall(body.request(request)).execute()) {
        assertThat(body.attach(first, Compression.AUTO)).isNull();
        assertThrows(IOException.class, () -> body.read(() -> {}));
      }
      Request rest = body.request(request);
      assertThat(rest.header("Range")).isEqualTo("bytes=" + cut + "-");
      try (Response second = client.newCall(rest).execute()) {
        assertThat(body.attach(second, Compression.AUTO)).isNull();
        body.read(() -> {});
      }
      FetchedPage page = body.complete(Duration.ZERO);
      body.close();

      assertThat(page.body().spilled()).isTrue();
      try (InputStream in = page.open()) {
        assertThat(in.readAllBytes()).isEqualTo(object);
      }
      page.discard();
      assertThat(filesIn(spool)).isZero();
    }
  }

  /** A stream that gives {@code body} in uneven pieces, at most {@code piece} bytes a read. */
  private static InputStream uneven(byte[] body) {
    return new InputStream() {
      private int at;
      private int piece = 1;

      @Override
      public int read() {
        return at < body.length ? body[at++] & 0xff : -1;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) {
        if (at >= body.length) {
          return -1;
        }
        int n = Math.min(Math.min(length, piece), body.length - at);
        System.arraycopy(body, at, buffer, offset, n);
        at += n;
        piece = piece * 3 + 7;
        if (piece > 3 * PageBuffer.CHUNK) {
          piece = 1;
        }
        return n;
      }
    };
  }

  /** Reads all of {@code in} with {@link PageBuffer#readFrom}; returns the bytes it reported. */
  private static byte[] readAllFrom(PageBuffer buffer, InputStream in) throws IOException {
    java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
    byte[] scratch = new byte[PageBuffer.CHUNK];
    while (buffer.readFrom(in, scratch, seen::write) != -1) {
      // each read reports its bytes
    }
    buffer.complete();
    return seen.toByteArray();
  }

  @Test
  void givenBodyReadStraightIn_whenItCrossesTheLimit_thenTheSameBytesSpooledAndEachReportedOnce()
      throws IOException {
    byte[] body = bytes(5 * PageBuffer.CHUNK + 77);
    PageBuffer buffer = new PageBuffer(spool, 2 * PageBuffer.CHUNK + 5);

    byte[] seen = readAllFrom(buffer, uneven(body));

    assertThat(seen).as("what the checksums see").isEqualTo(body);
    assertThat(buffer.spilled()).isTrue();
    assertThat(buffer.size()).isEqualTo(body.length);
    assertThat(readBack(buffer)).isEqualTo(body);
    buffer.close();
    assertThat(filesIn(spool)).isZero();
  }

  @Test
  void givenBodyOfExactlyTheLimit_whenReadStraightIn_thenItStaysInMemory() throws IOException {
    byte[] body = bytes(2 * PageBuffer.CHUNK + 5);
    try (PageBuffer buffer = new PageBuffer(spool, body.length)) {
      assertThat(readAllFrom(buffer, uneven(body))).isEqualTo(body);

      assertThat(buffer.spilled()).isFalse();
      assertThat(readBack(buffer)).isEqualTo(body);
      assertThat(filesIn(spool)).isZero();
    }
  }

  @Test
  void givenPagesFromOnePool_whenOneIsReleased_thenTheNextReusesItsMemoryAndReadsOnlyItsOwnBytes()
      throws IOException {
    PageBuffer.Chunks pool = new PageBuffer.Chunks(8);
    byte[] first = bytes(3 * PageBuffer.CHUNK + 10);
    PageBuffer one = new PageBuffer(spool, 1 << 20, pool);
    readAllFrom(one, uneven(first));
    assertThat(pool.size()).isZero();

    one.close();
    one.close(); // idempotent: gives nothing back twice
    assertThat(pool.size()).as("its four chunks, once").isEqualTo(4);

    byte[] second = bytes(PageBuffer.CHUNK + 3); // shorter: stale bytes lie beyond its end
    try (PageBuffer two = new PageBuffer(spool, 1 << 20, pool)) {
      readAllFrom(two, uneven(second));
      assertThat(pool.size()).isEqualTo(2);
      assertThat(readBack(two)).isEqualTo(second);
    }
    assertThat(pool.size()).isEqualTo(4);
  }

  @Test
  void givenAFullPool_whenAPageIsReleased_thenOnlyUpToItsMaximumIsKept() throws IOException {
    PageBuffer.Chunks pool = new PageBuffer.Chunks(2);
    try (PageBuffer buffer = new PageBuffer(spool, 1 << 20, pool)) {
      readAllFrom(buffer, uneven(bytes(5 * PageBuffer.CHUNK)));
    }
    assertThat(pool.size()).isEqualTo(2);
  }
}
