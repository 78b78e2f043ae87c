package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A pipeline's sink; {@code type} in YAML selects the implementation. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = ParquetSink.class, name = "parquet")})
public sealed interface SinkSpec permits ParquetSink {}
