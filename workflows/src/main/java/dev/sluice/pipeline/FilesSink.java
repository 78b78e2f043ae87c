package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Files landed byte for byte (no conversion) in a directory of the lake, each under its listed name
 * or relative path, through Hadoop's {@code FileSystem} API. Sluice keeps its state beside them
 * under {@code <path>/_sluice/} (the staging list of each run, a small manifest per landed file),
 * which readers skip because of the leading underscore.
 *
 * <p>A sink type of its own rather than a {@code mode: copy} of the Parquet sink: none of the
 * Parquet sink's keys (mode, compression, columns…) would mean anything for a copy, and a {@code
 * files} sink is only valid with a {@code files} source, which a type says where a mode could not.
 *
 * @param path the landing directory URI ({@code file:///…}, {@code hdfs://…}, {@code s3a://…}); a
 *     relative path is resolved against the pipeline file's directory
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FilesSink(String path) implements SinkSpec {

  /**
   * The landing directory seen as a table: there is no Parquet here, but code that keeps state
   * beside a table ({@code <path>/_sluice}) finds the same place.
   */
  @Override
  @JsonIgnore
  public ParquetSink lakeTable() {
    return new ParquetSink(path, null, null, null, null, null);
  }

  /** The same sink at another path (used to resolve relative paths). */
  @Override
  public FilesSink withPath(String newPath) {
    return new FilesSink(newPath);
  }
}
