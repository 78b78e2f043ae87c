package dev.sluice.activities.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast UTF-8 path decodes exactly what the JDK's strict decoder does, and fails where it does. */
class Utf8FastTest {

  @Test
  void decodesAndRefusesExactlyAsTheJdkDecoder() throws IOException {
    Random random = new Random(14);
    String[] pieces = {
      "a", "plain ascii text, ", "é", "ß", "€", "中文", "😀", "\n", "\"", ",", "\uFEFF"
    };
    for (int round = 0; round < 3000; round++) {
      StringBuilder text = new StringBuilder();
      int parts = random.nextInt(40);
      for (int p = 0; p < parts; p++) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      if (round % 3 == 0 && bytes.length > 0) {
        // Damage one byte: truncated, overlong, surrogate or stray continuation bytes.
        int[] bad = {0x80, 0xbf, 0xc0, 0xc1, 0xe0, 0xed, 0xf0, 0xf4, 0xf5, 0xff};
        bytes[random.nextInt(bytes.length)] = (byte) bad[random.nextInt(bad.length)];
      }
      assertEquals(jdk(bytes), ours(bytes), () -> "bytes " + java.util.Arrays.toString(bytes));
    }
  }

  @Test
  void acceptsEveryCodePointAndRefusesSurrogatesAndOverlongs() throws IOException {
    StringBuilder all = new StringBuilder();
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp += 7) {
      if (!Character.isSurrogate((char) cp) || cp > 0xffff) {
        all.appendCodePoint(cp);
      }
    }
    byte[] bytes = all.toString().getBytes(StandardCharsets.UTF_8);
    assertEquals(jdk(bytes), ours(bytes));
    for (byte[] bad :
        new byte[][] {
          {(byte) 0xc0, (byte) 0x80},
          {(byte) 0xe0, (byte) 0x80, (byte) 0x80},
          {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
          {(byte) 0xf0, (byte) 0x80, (byte) 0x80, (byte) 0x80},
          {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
          {'a', (byte) 0xe2, (byte) 0x82}
        }) {
      assertEquals(jdk(bad), ours(bad));
    }
  }

  /** The JDK's strict decoding: the text, or where it fails. */
  private static String jdk(byte[] bytes) {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes));
      String text = chars.toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      return "error";
    }
  }

  /** DecodingReader's text, read in small and odd-sized chunks, or "error". */
  private static String ours(byte[] bytes) throws IOException {
    DecodingReader reader =
        new DecodingReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8);
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[7];
    try {
      for (int n = reader.read(buffer, 0, buffer.length);
          n >= 0;
          n = reader.read(buffer, 0, buffer.length)) {
        text.append(buffer, 0, n);
      }
    } catch (UndecodableBytesException e) {
      return "error";
    }
    return text.toString();
  }
}
