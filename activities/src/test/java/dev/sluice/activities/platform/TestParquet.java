package dev.sluice.activities.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Parquet files a platform may hold that the emulation's seeding does not write: richer types
 * (date, decimal, float, micros timestamps, lists, structs, legacy INT96) and raw bytes.
 */
final class TestParquet {
  static final long AT_MICROS =
      Instant.parse("2024-03-01T10:15:30.123456Z").getEpochSecond() * 1_000_000L + 123_456L;

  private TestParquet() {}

  /** One row of every richer type. */
  static byte[] richFile() {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message rich {\n"
                + "  required binary id (STRING);\n"
                + "  optional int32 day (DATE);\n"
                + "  optional int64 at (TIMESTAMP(MICROS,true));\n"
                + "  optional int32 price (DECIMAL(9,2));\n"
                + "  optional float ratio;\n"
                + "  optional group tags (LIST) {\n"
                + "    repeated group list { optional binary element (STRING); }\n"
                + "  }\n"
                + "  optional group address {\n"
                + "    optional binary city (STRING);\n"
                + "    optional int32 zip;\n"
                + "  }\n"
                + "  optional int96 legacy;\n"
                + "}");
    return write(
        schema,
        out -> {
          field(out, "id", 0, () -> out.addBinary(Binary.fromString("rich-1")));
          field(
              out,
              "day",
              1,
              () -> out.addInteger((int) LocalDate.parse("2024-03-01").toEpochDay()));
          field(out, "at", 2, () -> out.addLong(AT_MICROS));
          field(out, "price", 3, () -> out.addInteger(1234));
          field(out, "ratio", 4, () -> out.addFloat(0.1f));
          field(
              out,
              "tags",
              5,
              () -> {
                out.startGroup();
                out.startField("list", 0);
                for (String tag : new String[] {"a", null, "b"}) {
                  out.startGroup();
                  if (tag != null) {
                    field(out, "element", 0, () -> out.addBinary(Binary.fromString(tag)));
                  }
                  out.endGroup();
                }
                out.endField("list", 0);
                out.endGroup();
              });
          field(
              out,
              "address",
              6,
              () -> {
                out.startGroup();
                field(out, "city", 0, () -> out.addBinary(Binary.fromString("Basel")));
                field(out, "zip", 1, () -> out.addInteger(4051));
                out.endGroup();
              });
          field(
              out, "legacy", 7, () -> out.addBinary(int96(Instant.parse("2024-03-01T12:00:00Z"))));
        });
  }

  /** A column of bytes without any annotation. */
  static byte[] bytesColumnFile() {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message blob { required binary id (STRING); optional binary payload; }");
    return write(
        schema,
        out -> {
          field(out, "id", 0, () -> out.addBinary(Binary.fromString("x")));
          field(out, "payload", 1, () -> out.addBinary(Binary.fromConstantByteArray(new byte[3])));
        });
  }

  private static void field(RecordConsumer out, String name, int index, Runnable value) {
    out.startField(name, index);
    value.run();
    out.endField(name, index);
  }

  /** Nanoseconds of the day, then the Julian day, little-endian. */
  private static Binary int96(Instant instant) {
    long day = Math.floorDiv(instant.getEpochSecond(), 86_400L);
    long nanos = Math.floorMod(instant.getEpochSecond(), 86_400L) * 1_000_000_000L;
    ByteBuffer buffer = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(nanos).putInt((int) (day + 2_440_588L));
    return Binary.fromConstantByteArray(buffer.array());
  }

  private static byte[] write(MessageType schema, Consumer<RecordConsumer> row) {
    try {
      Path file = Files.createTempFile("test-parquet-", ".parquet");
      try {
        try (ParquetWriter<Consumer<RecordConsumer>> writer =
            new Builder(new LocalOutputFile(file), schema)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
          writer.write(row);
        }
        return Files.readAllBytes(file);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class Builder
      extends ParquetWriter.Builder<Consumer<RecordConsumer>, Builder> {
    private final MessageType schema;

    Builder(OutputFile file, MessageType schema) {
      super(file);
      this.schema = schema;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Consumer<RecordConsumer>> getWriteSupport(Configuration conf) {
      return new WriteSupport<>() {
        private RecordConsumer out;

        @Override
        public WriteContext init(Configuration configuration) {
          return new WriteContext(schema, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
          out = recordConsumer;
        }

        @Override
        public void write(Consumer<RecordConsumer> record) {
          out.startMessage();
          record.accept(out);
          out.endMessage();
        }
      };
    }
  }
}
