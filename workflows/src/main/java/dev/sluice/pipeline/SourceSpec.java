package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A pipeline's source; {@code type} in YAML selects the implementation. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = AsyncHttpSource.class, name = "async-http"),
  @JsonSubTypes.Type(value = PlatformBatchesSource.class, name = "platform-batches"),
  @JsonSubTypes.Type(value = FilesSource.class, name = "files")
})
public sealed interface SourceSpec permits AsyncHttpSource, PlatformBatchesSource, FilesSource {}
