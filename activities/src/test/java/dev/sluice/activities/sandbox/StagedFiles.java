package dev.sluice.activities.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads staged Parquet back with parquet-java's example reader, independent of the writer, as
 * physical values: {@code Long} (int64, timestamps in micros, decimals ≤ 18 digits unscaled),
 * {@code Integer} (dates as epoch days), {@code Double}, {@code Boolean}, {@code String}, or null.
 */
final class StagedFiles {
  private static final Configuration CONF = new Configuration();

  private StagedFiles() {}

  /** Every row of {@code files} (names in {@code dir}), in file order then row order. */
  static List<Map<String, Object>> rows(Path dir, List<String> files) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String file : files) {
      rows.addAll(rows(dir.resolve(file)));
    }
    return rows;
  }

  static List<Map<String, Object>> rows(Path file) {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), hadoopPath(file)).withConf(CONF).build()) {
      for (Group group = reader.read(); group != null; group = reader.read()) {
        rows.add(values(group));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return rows;
  }

  static MessageType schema(Path file) {
    try (ParquetFileReader reader =
        ParquetFileReader.open(HadoopInputFile.fromPath(hadoopPath(file), CONF))) {
      return reader.getFooter().getFileMetaData().getSchema();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the footer of " + file, e);
    }
  }

  private static Map<String, Object> values(Group group) {
    Map<String, Object> row = new LinkedHashMap<>();
    List<Type> fields = group.getType().getFields();
    for (int i = 0; i < fields.size(); i++) {
      Type field = fields.get(i);
      if (group.getFieldRepetitionCount(i) == 0) {
        row.put(field.getName(), null);
        continue;
      }
      Object value =
          switch (field.asPrimitiveType().getPrimitiveTypeName()) {
            case INT64 -> group.getLong(i, 0);
            case INT32 -> group.getInteger(i, 0);
            case DOUBLE -> group.getDouble(i, 0);
            case BOOLEAN -> group.getBoolean(i, 0);
            case BINARY -> group.getString(i, 0);
            default -> throw new AssertionError("unexpected column type of " + field);
          };
      row.put(field.getName(), value);
    }
    return row;
  }

  private static org.apache.hadoop.fs.Path hadoopPath(Path file) {
    return new org.apache.hadoop.fs.Path(file.toUri());
  }
}
