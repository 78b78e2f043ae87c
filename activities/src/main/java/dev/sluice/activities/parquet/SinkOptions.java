package dev.sluice.activities.parquet;

import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.DataSize;
import dev.sluice.pipeline.LakeTable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The writing options of a {@link LakeTable}, validated once so that a bad definition fails
 * before any row is read.
 *
 * @param codec compression codec
 * @param targetFileBytes roll to a new file once the current one reaches this size
 * @param declared declared columns by name, in declaration order
 * @param inferRows how many leading rows type inference looks at
 */
record SinkOptions(
    CompressionCodecName codec, long targetFileBytes, Map<String, Column> declared, int inferRows) {

  /**
   * @throws InvalidSinkException naming the offending field of the sink
   */
  static SinkOptions of(LakeTable sink) {
    long target;
    try {
      target = DataSize.parseBytes(sink.targetFileSize());
    } catch (IllegalArgumentException e) {
      throw new InvalidSinkException("sink.targetFileSize: " + e.getMessage());
    }
    if (sink.inferRows() < 1) {
      throw new InvalidSinkException("sink.inferRows must be at least 1, not " + sink.inferRows());
    }
    Map<String, Column> declared = new LinkedHashMap<>();
    for (ColumnSpec spec : sink.columns()) {
      Column column = Column.declared(spec);
      if (declared.put(column.name(), column) != null) {
        throw new InvalidSinkException("sink.columns: '" + column.name() + "' is declared twice");
      }
    }
    return new SinkOptions(
        codec(sink.compression()), target, Collections.unmodifiableMap(declared), sink.inferRows());
  }

  private static CompressionCodecName codec(String compression) {
    return switch (compression.trim().toLowerCase(Locale.ROOT)) {
      case "snappy" -> CompressionCodecName.SNAPPY;
      case "zstd" -> CompressionCodecName.ZSTD;
      case "gzip" -> CompressionCodecName.GZIP;
      case "none" -> CompressionCodecName.UNCOMPRESSED;
      default ->
          throw new InvalidSinkException(
              "sink.compression: unknown codec '"
                  + compression
                  + "'; expected snappy, zstd, gzip or none");
    };
  }
}
