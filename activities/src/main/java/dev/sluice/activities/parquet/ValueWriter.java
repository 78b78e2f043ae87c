package dev.sluice.activities.parquet;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Converts the source values of one column (String or {@link Utf8Text} from CSV; String, Long,
 * Double, BigDecimal or Boolean from JSON, and Map or List for nested values) to the column's
 * Parquet type. Text is parsed for typed columns; numbers, booleans and nested values are rendered
 * as text for string columns. Struct and list columns: {@link NestedValues}. A {@code Utf8Text} is
 * read as its text: the same values, errors and messages as the {@code String} of that text.
 *
 * <p>Conversions throw {@link IllegalArgumentException} (including {@link NumberFormatException}),
 * {@link java.time.DateTimeException} or {@link ArithmeticException} when a value does not fit.
 */
abstract class ValueWriter {

  /** Adds {@code value} (never null) to the field the consumer is positioned on. */
  abstract void write(RecordConsumer out, Object value);

  /** {@code value} as this column's type orders it (the watermark is the maximum). */
  abstract Comparable<?> typed(Object value);

  /**
   * {@code value} (never null) as the physical value {@link #write} adds: a {@link Binary}, {@code
   * Long}, {@code Integer}, {@code Double} or {@code Boolean}, to be added later by {@link
   * #addPhysical}, on another thread if need be ({@link AheadConversion}). Scalar columns only; the
   * same exceptions as {@link #write}. {@link #typed} unless the writer says otherwise.
   */
  Object physical(Object value) {
    return typed(value);
  }

  /** {@link #typed} of {@code value} whose {@link #physical} value is known: the same for most. */
  Comparable<?> typed(Object value, Object physical) {
    return (Comparable<?>) physical;
  }

  /** Adds a value {@link #physical} returned to the field the consumer is positioned on. */
  void addPhysical(RecordConsumer out, Object physical) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " converts while writing");
  }

  /** {@link #write} and {@link #typed} in one, converting the value once where they share it. */
  Comparable<?> writeTyped(RecordConsumer out, Object value) {
    write(out, value);
    return typed(value);
  }

  static ValueWriter forColumn(Column column) {
    DateTimeFormatter pattern =
        column.format() == null ? null : DateTimeFormatter.ofPattern(column.format());
    return switch (column.type()) {
      case STRING -> new StringWriter();
      case LONG -> new LongWriter();
      case DOUBLE -> new DoubleWriter();
      case BOOLEAN -> new BooleanWriter();
      case TIMESTAMP -> new TimestampWriter(pattern);
      case DATE -> new DateWriter(pattern);
      case DECIMAL -> new DecimalWriter(column.precision(), column.scale());
      case STRUCT, LIST -> NestedValues.writer(column);
    };
  }

  private static String text(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Utf8Text u) {
      return u.toString();
    }
    throw new IllegalArgumentException("expected text, got a " + value.getClass().getSimpleName());
  }

  private static final class StringWriter extends ValueWriter {
    @Override
    void write(RecordConsumer out, Object value) {
      // The bytes Binary.fromString would hold, array-backed: statistics and the dictionary
      // compare and hash arrays faster than the ByteBuffer fromString wraps them in (measured).
      out.addBinary(physical(value));
    }

    @Override
    Binary physical(Object value) {
      if (value instanceof Utf8Text u) {
        return u.binary(); // the page's own bytes, the same as its text's encoding
      }
      return Binary.fromConstantByteArray(typed(value).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    Comparable<?> typed(Object value, Object physical) {
      return typed(value);
    }

    @Override
    void addPhysical(RecordConsumer out, Object physical) {
      out.addBinary((Binary) physical);
    }

    @Override
    String typed(Object value) {
      if (value instanceof String s) {
        return s;
      }
      if (value instanceof Utf8Text u) {
        return u.toString();
      }
      if (NestedValues.isNested(value)) {
        return NestedValues.jsonText(value); // an object or array in a column inferred as text
      }
      return value instanceof BigDecimal d ? d.toPlainString() : value.toString();
    }
  }

  private static final class LongWriter extends ValueWriter {
    @Override
    void write(RecordConsumer out, Object value) {
      out.addLong(toLong(value));
    }

    @Override
    Long typed(Object value) {
      return value instanceof Long l ? l : toLong(value); // JSON's own Long: no second box
    }

    @Override
    void addPhysical(RecordConsumer out, Object physical) {
      out.addLong((Long) physical);
    }

    private static long toLong(Object value) {
      if (value instanceof Long l) {
        return l;
      }
      if (value instanceof String s) {
        return Long.parseLong(s);
      }
      if (value instanceof Utf8Text u) {
        return parseLong(u);
      }
      if (value instanceof Double d) {
        return new BigDecimal(d).longValueExact();
      }
      if (value instanceof BigDecimal d) {
        return d.longValueExact();
      }
      throw new IllegalArgumentException("expected a whole number");
    }

    /**
     * {@code Long.parseLong} of the text: by hand for an optional sign and up to 18 ASCII digits
     * (which cannot overflow), else by the JDK on the decoded text (other digits it accepts, its
     * overflow and its message).
     */
    private static long parseLong(Utf8Text u) {
      byte[] b = u.bytes();
      int n = b.length;
      int i = b[0] == '-' || b[0] == '+' ? 1 : 0;
      if (n > i && n - i <= 18) {
        long value = 0;
        for (int k = i; k < n; k++) {
          int d = b[k] - '0';
          if (d < 0 || d > 9) {
            return Long.parseLong(u.toString());
          }
          value = value * 10 + d;
        }
        return b[0] == '-' ? -value : value;
      }
      return Long.parseLong(u.toString());
    }
  }

  private static final class DoubleWriter extends ValueWriter {
    @Override
    void write(RecordConsumer out, Object value) {
      out.addDouble(toDouble(value));
    }

    @Override
    Double typed(Object value) {
      return value instanceof Double d ? d : toDouble(value);
    }

    @Override
    void addPhysical(RecordConsumer out, Object physical) {
      out.addDouble((Double) physical);
    }

    private static double toDouble(Object value) {
      if (value instanceof Double d) {
        return d;
      }
      if (value instanceof String s) {
        return Double.parseDouble(s);
      }
      if (value instanceof Utf8Text u) {
        return Double.parseDouble(u.toString());
      }
      if (value instanceof Number n) {
        return n.doubleValue();
      }
      throw new IllegalArgumentException("expected a number");
    }
  }

  private static final class BooleanWriter extends ValueWriter {
    @Override
    void write(RecordConsumer out, Object value) {
      out.addBoolean(typed(value));
    }

    @Override
    void addPhysical(RecordConsumer out, Object physical) {
      out.addBoolean((Boolean) physical);
    }

    @Override
    Boolean typed(Object value) {
      if (value instanceof Boolean b) {
        return b;
      }
      if (value instanceof Utf8Text u && u.bytes().length <= 5) {
        Boolean read = asciiBoolean(u.bytes());
        if (read != null) {
          return read;
        }
      }
      String s = text(value);
      if (s.equalsIgnoreCase("true")) {
        return true;
      }
      if (s.equalsIgnoreCase("false")) {
        return false;
      }
      throw new IllegalArgumentException("expected true or false");
    }

    /**
     * {@code true} or {@code false} in ASCII letters of any case, else null: other bytes are the
     * String's to decide ({@code equalsIgnoreCase} also matches some letters outside ASCII).
     */
    private static Boolean asciiBoolean(byte[] b) {
      if (b.length == 4
          && (b[0] | 0x20) == 't'
          && (b[1] | 0x20) == 'r'
          && (b[2] | 0x20) == 'u'
          && (b[3] | 0x20) == 'e') {
        return true;
      }
      if (b.length == 5
          && (b[0] | 0x20) == 'f'
          && (b[1] | 0x20) == 'a'
          && (b[2] | 0x20) == 'l'
          && (b[3] | 0x20) == 's'
          && (b[4] | 0x20) == 'e') {
        return false;
      }
      return null;
    }
  }

  private static final class TimestampWriter extends ValueWriter {
    private final DateTimeFormatter pattern;

    TimestampWriter(DateTimeFormatter pattern) {
      this.pattern = pattern;
    }

    @Override
    void write(RecordConsumer out, Object value) {
      out.addLong(micros(value));
    }

    @Override
    Long writeTyped(RecordConsumer out, Object value) {
      long micros = micros(value);
      out.addLong(micros);
      return micros;
    }

    @Override
    Long typed(Object value) {
      return micros(value);
    }

    private long micros(Object value) {
      return value instanceof Utf8Text u
          ? TemporalValues.epochMicros(u, pattern)
          : TemporalValues.epochMicros(text(value), pattern);
    }

    @Override
    void addPhysical(RecordConsumer out, Object physical) {
      out.addLong((Long) physical);
    }
  }

  private static final class DateWriter extends ValueWriter {
    private final DateTimeFormatter pattern;

    DateWriter(DateTimeFormatter pattern) {
      this.pattern = pattern;
    }

    @Override
    void write(RecordConsumer out, Object value) {
      out.addInteger(days(value));
    }

    @Override
    Integer typed(Object value) {
      return days(value);
    }

    private int days(Object value) {
      return value instanceof Utf8Text u
          ? TemporalValues.epochDay(u, pattern)
          : TemporalValues.epochDay(text(value), pattern);
    }

    @Override
    void addPhysical(RecordConsumer out, Object physical) {
      out.addInteger((Integer) physical);
    }
  }

  private static final class DecimalWriter extends ValueWriter {
    private static final long NOT_FAST = Long.MIN_VALUE;
    private static final long[] TEN_POW = new long[19];

    static {
      TEN_POW[0] = 1;
      for (int k = 1; k < TEN_POW.length; k++) {
        TEN_POW[k] = TEN_POW[k - 1] * 10;
      }
    }

    private final int precision;
    private final int scale;
    private final int fixedBytes;

    DecimalWriter(int precision, int scale) {
      this.precision = precision;
      this.scale = scale;
      this.fixedBytes = ParquetSchema.decimalBytes(precision);
    }

    @Override
    void write(RecordConsumer out, Object value) {
      if (precision <= ParquetSchema.MAX_LONG_DECIMAL_PRECISION) {
        out.addLong(unscaledLong(value));
      } else {
        out.addBinary(Binary.fromConstantByteArray(fixed(typed(value).unscaledValue())));
      }
    }

    /** A {@code Long} (the unscaled value) up to 18 digits, else the fixed-length bytes. */
    @Override
    Object physical(Object value) {
      if (precision <= ParquetSchema.MAX_LONG_DECIMAL_PRECISION) {
        return unscaledLong(value);
      }
      return Binary.fromConstantByteArray(fixed(typed(value).unscaledValue()));
    }

    @Override
    Comparable<?> typed(Object value, Object physical) {
      return typed(value);
    }

    @Override
    void addPhysical(RecordConsumer out, Object physical) {
      if (physical instanceof Long unscaled) {
        out.addLong(unscaled);
      } else {
        out.addBinary((Binary) physical);
      }
    }

    /** The unscaled value of a column of up to 18 digits. */
    private long unscaledLong(Object value) {
      long unscaled =
          value instanceof String s
              ? unscaledFast(s)
              : value instanceof Utf8Text u ? unscaledFast(u.bytes()) : NOT_FAST;
      if (unscaled != NOT_FAST) {
        return unscaled;
      }
      return typed(value).unscaledValue().longValueExact();
    }

    /** The value at this column's scale; never rounds. */
    @Override
    BigDecimal typed(Object value) {
      BigDecimal decimal;
      if (value instanceof BigDecimal d) {
        decimal = d;
      } else if (value instanceof String s) {
        decimal = new BigDecimal(s);
      } else if (value instanceof Utf8Text u) {
        decimal = new BigDecimal(u.toString());
      } else if (value instanceof Long l) {
        decimal = BigDecimal.valueOf(l);
      } else if (value instanceof Double d) {
        decimal = BigDecimal.valueOf(d);
      } else {
        throw new IllegalArgumentException("expected a number");
      }
      BigDecimal scaled;
      try {
        scaled = decimal.setScale(scale, RoundingMode.UNNECESSARY);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            "it has more than " + scale + " digits after the point", e);
      }
      if (scaled.precision() > precision) {
        throw new IllegalArgumentException("it has more than " + precision + " digits");
      }
      return scaled;
    }

    /**
     * The unscaled value of plain text {@code -?d+(.d+)?} that fits this column as it is, by hand
     * (BigDecimal costs more than encoding the row); {@link #NOT_FAST} for anything else, which
     * {@link #typed} then accepts or refuses as before.
     */
    private long unscaledFast(String s) {
      int n = s.length();
      int i = n > 0 && s.charAt(0) == '-' ? 1 : 0;
      long unscaled = 0;
      int digits = 0;
      int fraction = -1;
      for (; i < n; i++) {
        char c = s.charAt(i);
        if (c >= '0' && c <= '9') {
          if (++digits > ParquetSchema.MAX_LONG_DECIMAL_PRECISION) {
            return NOT_FAST;
          }
          unscaled = unscaled * 10 + (c - '0');
          if (fraction >= 0) {
            fraction++;
          }
        } else if (c == '.' && fraction < 0 && digits > 0) {
          fraction = 0;
        } else {
          return NOT_FAST;
        }
      }
      int places = Math.max(fraction, 0);
      if (digits == 0 || fraction == 0 || places > scale || digits + scale - places > 18) {
        return NOT_FAST;
      }
      for (int k = places; k < scale; k++) {
        unscaled *= 10;
      }
      if (precision < 18 && unscaled >= TEN_POW[precision]) {
        return NOT_FAST; // too many digits for the column: typed() says so
      }
      return s.charAt(0) == '-' ? -unscaled : unscaled;
    }

    /**
     * {@link #unscaledFast(String)} of ASCII bytes, line for line: it accepts only ASCII digits, a
     * point and a leading minus, so for other bytes it returns {@link #NOT_FAST} as the String's
     * chars would make it.
     */
    private long unscaledFast(byte[] s) {
      int n = s.length;
      int i = n > 0 && s[0] == '-' ? 1 : 0;
      long unscaled = 0;
      int digits = 0;
      int fraction = -1;
      for (; i < n; i++) {
        byte c = s[i];
        if (c >= '0' && c <= '9') {
          if (++digits > ParquetSchema.MAX_LONG_DECIMAL_PRECISION) {
            return NOT_FAST;
          }
          unscaled = unscaled * 10 + (c - '0');
          if (fraction >= 0) {
            fraction++;
          }
        } else if (c == '.' && fraction < 0 && digits > 0) {
          fraction = 0;
        } else {
          return NOT_FAST;
        }
      }
      int places = Math.max(fraction, 0);
      if (digits == 0 || fraction == 0 || places > scale || digits + scale - places > 18) {
        return NOT_FAST;
      }
      for (int k = places; k < scale; k++) {
        unscaled *= 10;
      }
      if (precision < 18 && unscaled >= TEN_POW[precision]) {
        return NOT_FAST;
      }
      return s[0] == '-' ? -unscaled : unscaled;
    }

    /** Big-endian two's complement, sign-extended to the column's fixed length. */
    private byte[] fixed(BigInteger unscaled) {
      byte[] minimal = unscaled.toByteArray();
      byte[] bytes = new byte[fixedBytes];
      int pad = fixedBytes - minimal.length;
      Arrays.fill(bytes, 0, pad, (byte) (unscaled.signum() < 0 ? -1 : 0));
      System.arraycopy(minimal, 0, bytes, pad, minimal.length);
      return bytes;
    }
  }
}
