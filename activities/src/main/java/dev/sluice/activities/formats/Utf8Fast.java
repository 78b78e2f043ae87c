package dev.sluice.activities.formats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 decoding of the well-formed part of a buffer: ASCII in a tight loop, and two-,
 * three- and four-byte sequences only when they are complete and valid (no overlong forms, no
 * surrogates, nothing above U+10FFFF). It stops before the first byte it does not accept, so the
 * JDK's decoder sees exactly the bytes it would have reported or kept for the next read.
 */
final class Utf8Fast {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8Fast() {}

  /**
   * Decodes from {@code in} (a heap buffer in read mode) into {@code out[offset, offset + length)}
   * and advances {@code in} past what was decoded.
   *
   * @return the chars written; 0 when the first byte is not ASCII or a complete valid sequence
   */
  static int decode(ByteBuffer in, char[] out, int offset, int length) {
    byte[] src = in.array();
    int base = in.arrayOffset();
    int sp = base + in.position();
    int sl = base + in.limit();
    int dp = offset;
    int dl = offset + length;
    while (sp < sl && dp < dl) {
      int run = asciiRun(src, sp, Math.min(sl - sp, dl - dp));
      for (int k = 0; k < run; k++) {
        out[dp + k] = (char) src[sp + k]; // a counted loop without exits: the JIT vectorizes it
      }
      sp += run;
      dp += run;
      if (sp == sl || dp == dl) {
        break;
      }
      int b1 = src[sp];
      if ((b1 & 0xe0) == 0xc0) {
        if (sl - sp < 2 || b1 == (byte) 0xc0 || b1 == (byte) 0xc1) {
          break;
        }
        int b2 = src[sp + 1];
        if ((b2 & 0xc0) != 0x80) {
          break;
        }
        out[dp++] = (char) (((b1 & 0x1f) << 6) | (b2 & 0x3f));
        sp += 2;
      } else if ((b1 & 0xf0) == 0xe0) {
        if (sl - sp < 3) {
          break;
        }
        int b2 = src[sp + 1];
        int b3 = src[sp + 2];
        if ((b2 & 0xc0) != 0x80 || (b3 & 0xc0) != 0x80) {
          break;
        }
        char c = (char) (((b1 & 0x0f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f));
        if (c < 0x800 || Character.isSurrogate(c)) {
          break;
        }
        out[dp++] = c;
        sp += 3;
      } else if ((b1 & 0xf8) == 0xf0) {
        if (sl - sp < 4 || dl - dp < 2) {
          break;
        }
        int b2 = src[sp + 1];
        int b3 = src[sp + 2];
        int b4 = src[sp + 3];
        if ((b2 & 0xc0) != 0x80 || (b3 & 0xc0) != 0x80 || (b4 & 0xc0) != 0x80) {
          break;
        }
        int cp = ((b1 & 0x07) << 18) | ((b2 & 0x3f) << 12) | ((b3 & 0x3f) << 6) | (b4 & 0x3f);
        if (cp < 0x10000 || cp > Character.MAX_CODE_POINT) {
          break;
        }
        out[dp++] = Character.highSurrogate(cp);
        out[dp++] = Character.lowSurrogate(cp);
        sp += 4;
      } else {
        break;
      }
    }
    in.position(sp - base);
    return dp - offset;
  }

  /**
   * How many bytes of {@code src[from, to)} are well-formed UTF-8 by the same rules as {@link
   * #decode}: it stops before the first byte that does not start a complete valid sequence.
   */
  static int validPrefix(byte[] src, int from, int to) {
    int sp = from;
    while (sp < to) {
      sp += asciiRun(src, sp, to - sp);
      if (sp == to) {
        break;
      }
      int b1 = src[sp];
      if ((b1 & 0xe0) == 0xc0) {
        if (to - sp < 2 || b1 == (byte) 0xc0 || b1 == (byte) 0xc1 || (src[sp + 1] & 0xc0) != 0x80) {
          break;
        }
        sp += 2;
      } else if ((b1 & 0xf0) == 0xe0) {
        if (to - sp < 3) {
          break;
        }
        int b2 = src[sp + 1];
        int b3 = src[sp + 2];
        if ((b2 & 0xc0) != 0x80 || (b3 & 0xc0) != 0x80) {
          break;
        }
        char c = (char) (((b1 & 0x0f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f));
        if (c < 0x800 || Character.isSurrogate(c)) {
          break;
        }
        sp += 3;
      } else if ((b1 & 0xf8) == 0xf0) {
        if (to - sp < 4) {
          break;
        }
        int b2 = src[sp + 1];
        int b3 = src[sp + 2];
        int b4 = src[sp + 3];
        if ((b2 & 0xc0) != 0x80 || (b3 & 0xc0) != 0x80 || (b4 & 0xc0) != 0x80) {
          break;
        }
        int cp = ((b1 & 0x07) << 18) | ((b2 & 0x3f) << 12) | ((b3 & 0x3f) << 6) | (b4 & 0x3f);
        if (cp < 0x10000 || cp > Character.MAX_CODE_POINT) {
          break;
        }
        sp += 4;
      } else {
        break;
      }
    }
    return sp - from;
  }

  /**
   * The UTF-16 length of the well-formed UTF-8 in {@code src[from, to)}: one char per sequence,
   * two for a four-byte one.
   */
  static long chars(byte[] src, int from, int to) {
    long chars = 0;
    for (int i = from; i < to; i++) {
      int b = src[i];
      if ((b & 0xc0) != 0x80) {
        chars += (b & 0xf8) == 0xf0 ? 2 : 1;
      }
    }
    return chars;
  }

  /** How many of the {@code max} bytes from {@code from} are ASCII, eight at a time first. */
  private static int asciiRun(byte[] src, int from, int max) {
    int run = 0;
    while (run + Long.BYTES <= max && ((long) LONGS.get(src, from + run) & HIGH_BITS) == 0) {
      run += Long.BYTES;
    }
    while (run < max && src[from + run] >= 0) {
      run++;
    }
    return run;
  }
}
