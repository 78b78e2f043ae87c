package dev.sluice.activities.formats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CheckedUtf8StreamTest {
  @Test
  void givenMostlyAsciiBytesWithBadOnesAnywhere_whenChecked_thenSamePrefixAsUtf8Fast() {
    Random random = new Random(7);
    byte[][] pieces = {
      "é".getBytes(java.nio.charset.StandardCharsets.UTF_8),
      "中".getBytes(java.nio.charset.StandardCharsets.UTF_8),
      "😀".getBytes(java.nio.charset.StandardCharsets.UTF_8),
      {(byte) 0x80}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
      {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0xff}
    };
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = new byte[random.nextInt(200)];
      for (int i = 0; i < bytes.length; ) {
        if (random.nextInt(40) == 0) {
          byte[] piece = pieces[random.nextInt(round % 2 == 0 ? 3 : pieces.length)];
          for (int k = 0; k < piece.length && i < bytes.length; k++) {
            bytes[i++] = piece[k];
          }
        } else {
          bytes[i++] = (byte) random.nextInt(0x80);
        }
      }
      int from = bytes.length == 0 ? 0 : random.nextInt(Math.min(bytes.length, 8));

      assertThat(CheckedUtf8Stream.validPrefix(bytes, from, bytes.length))
          .as("round %d", round)
          .isEqualTo(Utf8Fast.validPrefix(bytes, from, bytes.length));
    }
  }
}
