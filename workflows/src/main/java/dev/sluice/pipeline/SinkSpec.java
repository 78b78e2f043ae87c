package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A pipeline's sink; {@code type} in YAML selects the implementation. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ParquetSink.class, name = "parquet"),
  @JsonSubTypes.Type(value = PlatformBatchSink.class, name = "platform-batch"),
  @JsonSubTypes.Type(value = FilesSink.class, name = "files")
})
public sealed interface SinkSpec permits ParquetSink, PlatformBatchSink, FilesSink {

  /**
   * The Parquet table every run writes: the sink itself, or the table a platform sink keeps of what
   * it sent.
   */
  ParquetSink table();
}
