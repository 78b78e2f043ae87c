package dev.sluice.activities.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.Type;

/**
 * A table as a plain Parquet reader sees it: the {@code *.parquet} files directly in its directory
 * (skipping {@code _}- and {@code .}-prefixed names, as Spark and Hive do), read back with
 * parquet-java's example reader through the same Hadoop file system, independent of the writer.
 */
final class TableFiles {
  private final Configuration conf;

  TableFiles(Configuration conf) {
    this.conf = conf;
  }

  /** Names of the table's data files, sorted; empty when the directory does not exist. */
  List<String> dataFiles(String tableUri) {
    Path table = new Path(tableUri);
    try {
      FileSystem fs = table.getFileSystem(conf);
      if (!fs.exists(table)) {
        return List.of();
      }
      return Arrays.stream(fs.listStatus(table))
          .filter(FileStatus::isFile)
          .map(s -> s.getPath().getName())
          .filter(n -> n.endsWith(".parquet") && !n.startsWith("_") && !n.startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + tableUri, e);
    }
  }

  /** Every row of every data file, files in name order; values as {@code Group} holds them. */
  List<Map<String, Object>> rows(String tableUri) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String name : dataFiles(tableUri)) {
      Path file = new Path(tableUri + "/" + name);
      try (ParquetReader<Group> reader =
          ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
        for (Group g = reader.read(); g != null; g = reader.read()) {
          rows.add(values(g));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return rows;
  }

  boolean exists(String uri) {
    Path path = new Path(uri);
    try {
      return path.getFileSystem(conf).exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + uri, e);
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
}
