package dev.sluice.activities.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.junit.jupiter.api.Test;

/**
 * The hand-written paths for decimals and dates write exactly what the general conversion ({@link
 * ValueWriter#typed}) gives, and refuse what it refuses.
 */
class ValueWriterFastPathTest {

  @Test
  void decimalsAsBigDecimalConvertsThem() {
    List<String> texts =
        new ArrayList<>(
            List.of(
                "0", "-0", "0.00", "-0.00", "1", "1.5", "1.50", "1.505", "12345678901234567.8",
                "1234567890123456.78", "99999999999999999.99", "-99999999999999999.99", ".5", "5.",
                "+5", "1e3", "1,5", "", "-", "--1", "1.2.3", "007.10", "0000000000000000000001",
                "1234567890123456789"));
    Random random = new Random(14);
    for (int i = 0; i < 2000; i++) {
      StringBuilder t = new StringBuilder(random.nextBoolean() ? "-" : "");
      t.append(random.nextInt(1_000_000_000));
      if (random.nextBoolean()) {
        t.append('.').append(random.nextInt(1000));
      }
      texts.add(t.toString());
    }
    for (String type : List.of("decimal(18,2)", "decimal(10,2)", "decimal(5,0)", "decimal(18,0)")) {
      ValueWriter writer = ValueWriter.forColumn(Column.decimal("d", type));
      for (String text : texts) {
        assertEquals(general(writer, text), written(writer, text), type + " " + text);
      }
    }
  }

  @Test
  void datesAsTheIsoParserReadsThem() {
    ValueWriter writer = ValueWriter.forColumn(Column.of("d", ColumnType.DATE));
    List<String> texts =
        new ArrayList<>(
            List.of(
                "2024-02-29", "2023-02-29", "2023-02-28", "2000-02-29", "1900-02-29", "0000-01-01",
                "9999-12-31", "2024-13-01", "2024-00-10", "2024-04-31", "2024-04-00", "2024-4-01",
                "+2024-04-01", "2024-04-01T", "20240401", "2024/04/01", "2024-04-0x"));
    for (int m = 1; m <= 12; m++) {
      for (int d = 27; d <= 32; d++) {
        texts.add(String.format("2023-%02d-%02d", m, d));
        texts.add(String.format("2024-%02d-%02d", m, d));
      }
    }
    for (String text : texts) {
      assertEquals(general(writer, text), written(writer, text), text);
    }
  }

  /** What the general conversion gives as the long or int Parquet stores, or the failure. */
  private static String general(ValueWriter writer, Object value) {
    try {
      Object typed = writer.typed(value);
      if (typed instanceof java.math.BigDecimal d) {
        return String.valueOf(d.unscaledValue().longValueExact());
      }
      return String.valueOf(typed);
    } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
      return "refused";
    }
  }

  private static String written(ValueWriter writer, Object value) {
    Recorder out = new Recorder();
    try {
      writer.write(out, value);
      return out.value;
    } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
      return "refused";
    }
  }

  /** Keeps the one value written. */
  private static final class Recorder extends RecordConsumer {
    String value;

    @Override
    public void addLong(long v) {
      value = String.valueOf(v);
    }

    @Override
    public void addInteger(int v) {
      value = String.valueOf(v);
    }

    @Override
    public void startMessage() {}

    @Override
    public void endMessage() {}

    @Override
    public void startField(String field, int index) {}

    @Override
    public void endField(String field, int index) {}

    @Override
    public void startGroup() {}

    @Override
    public void endGroup() {}

    @Override
    public void addBoolean(boolean v) {}

    @Override
    public void addBinary(Binary v) {}

    @Override
    public void addFloat(float v) {}

    @Override
    public void addDouble(double v) {}
  }
}
