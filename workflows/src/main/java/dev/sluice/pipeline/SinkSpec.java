package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Optional;

/** A pipeline's sink; {@code type} in YAML selects the implementation. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ParquetSink.class, name = "parquet"),
  @JsonSubTypes.Type(value = PlatformBatchSink.class, name = "platform-batch"),
  @JsonSubTypes.Type(value = FilesSink.class, name = "files"),
  @JsonSubTypes.Type(value = IcebergSink.class, name = "iceberg")
})
public sealed interface SinkSpec permits ParquetSink, PlatformBatchSink, FilesSink, IcebergSink {

  /**
   * The table every run writes: the sink itself (a Parquet folder or an Iceberg table), or the
   * Parquet table a platform sink keeps of what it sent.
   */
  LakeTable lakeTable();

  /**
   * Where the sink forwards what its table committed, if anywhere: a platform batch per run.
   * Workflows ask this, never the sink's type, whether to forward. Not part of the sink's JSON.
   *
   * @return the destination; empty for a sink that only keeps its table (the default)
   */
  @JsonIgnore
  default Optional<PlatformBatchSink> destination() {
    return Optional.empty();
  }

  /** The same sink with its table at another path (a relative path resolved, a unit's partition). */
  SinkSpec withPath(String newPath);

  /**
   * The sink as one work unit writes it ({@link LakeTable#forUnit}): by default its table moved to
   * the unit's partition {@code partitionPath}.
   */
  default SinkSpec forUnit(String column, String value, String partitionPath) {
    return withPath(partitionPath);
  }
}
