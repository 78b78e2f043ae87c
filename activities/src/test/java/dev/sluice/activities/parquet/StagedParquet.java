package dev.sluice.activities.parquet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/** Reads staged Parquet files back with parquet-java's own reader, independent of the writer. */
final class StagedParquet {
  private static final Configuration CONF = new Configuration();

  private StagedParquet() {}

  static MessageType schema(Path file) throws IOException {
    try (ParquetFileReader reader =
        ParquetFileReader.open(HadoopInputFile.fromPath(hadoopPath(file), CONF))) {
      return reader.getFooter().getFileMetaData().getSchema();
    }
  }

  /**
   * Rows as column name → physical value (Long, Integer, Double, Boolean, String, byte[]; null).
   */
  static List<Map<String, Object>> rows(Path file) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), hadoopPath(file)).withConf(CONF).build()) {
      for (Group group = reader.read(); group != null; group = reader.read()) {
        rows.add(values(group));
      }
    }
    return rows;
  }

  private static Map<String, Object> values(Group group) {
    Map<String, Object> row = new HashMap<>();
    List<Type> fields = group.getType().getFields();
    for (int i = 0; i < fields.size(); i++) {
      Type field = fields.get(i);
      if (group.getFieldRepetitionCount(i) == 0) {
        row.put(field.getName(), null);
        continue;
      }
      PrimitiveType.PrimitiveTypeName type = field.asPrimitiveType().getPrimitiveTypeName();
      Object value =
          switch (type) {
            case INT64 -> group.getLong(i, 0);
            case INT32 -> group.getInteger(i, 0);
            case DOUBLE -> group.getDouble(i, 0);
            case BOOLEAN -> group.getBoolean(i, 0);
            case BINARY -> group.getString(i, 0);
            case FIXED_LEN_BYTE_ARRAY -> group.getBinary(i, 0).getBytes();
            default -> throw new AssertionError("unexpected type " + type);
          };
      row.put(field.getName(), value);
    }
    return row;
  }

  private static org.apache.hadoop.fs.Path hadoopPath(Path file) {
    return new org.apache.hadoop.fs.Path(file.toUri());
  }
}
