package dev.sluice.activities.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/** Reads staged Parquet back with parquet-java's own reader, independent of the writer. */
final class StagedRows {
  private StagedRows() {}

  static MessageType schema(Path file) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      return reader.getFooter().getFileMetaData().getSchema();
    }
  }

  /** Rows as column name → physical value (Long, Integer, Double, Boolean, String; null). */
  static List<Map<String, Object>> rows(Path file) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (ParquetReader<Group> reader = new Reader(new LocalInputFile(file)).build()) {
      for (Group group = reader.read(); group != null; group = reader.read()) {
        Map<String, Object> row = new HashMap<>();
        List<Type> fields = group.getType().getFields();
        for (int i = 0; i < fields.size(); i++) {
          row.put(fields.get(i).getName(), value(group, i, fields.get(i)));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** Every row of every {@code .parquet} file directly in {@code dir}. */
  static List<Map<String, Object>> allRows(Path dir) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Path file : parquetFiles(dir)) {
      rows.addAll(rows(file));
    }
    return rows;
  }

  /** The {@code .parquet} files directly in {@code dir}, by name. */
  static List<Path> parquetFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
  }

  private static Object value(Group group, int i, Type field) {
    if (group.getFieldRepetitionCount(i) == 0) {
      return null;
    }
    return switch (field.asPrimitiveType().getPrimitiveTypeName()) {
      case INT64 -> group.getLong(i, 0);
      case INT32 -> group.getInteger(i, 0);
      case DOUBLE -> group.getDouble(i, 0);
      case BOOLEAN -> group.getBoolean(i, 0);
      default -> group.getValueToString(i, 0);
    };
  }

  private static final class Reader extends ParquetReader.Builder<Group> {
    Reader(InputFile file) {
      super(file);
    }

    @Override
    protected ReadSupport<Group> getReadSupport() {
      return new GroupReadSupport();
    }
  }
}
