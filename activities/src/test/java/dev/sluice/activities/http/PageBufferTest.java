package dev.sluice.activities.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page's body is kept in memory up to its limit and spooled to a file beyond it; either way the
 * parser reads back exactly the bytes written, and releasing the page leaves no file behind.
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
}
