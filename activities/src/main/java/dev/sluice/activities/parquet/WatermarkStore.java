package dev.sluice.activities.parquet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.pipeline.LakeTable;
import dev.sluice.workflows.activities.RunKeys;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;

/**
 * The published watermark of a table: {@code <table>/_sluice/watermark.json}, holding {@code
 * {"column", "value", "publishedBy", "publishedAt"}}. Replaced atomically, so a reader sees the
 * previous watermark or the new one.
 */
final class WatermarkStore {
  /**
   * Its own mapper: this class alone owns the file's format; worker settings must not change it.
   */
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HadoopFiles files;
  private final Clock clock;

  WatermarkStore(HadoopFiles files, Clock clock) {
    this.files = files;
    this.clock = clock;
  }

  /** The stored document, or empty when the table has no watermark yet. */
  Optional<Watermark> read(LakeTable sink) {
    String uri = uri(sink);
    return files.readString(uri).map(json -> parse(uri, json));
  }

  /** Stores {@code value} of {@code column} as published by run {@code runKey}. */
  void write(LakeTable sink, String column, String value, String runKey) {
    String uri = uri(sink);
    Watermark watermark = new Watermark(column, value, runKey, clock.instant().toString());
    try {
      files.writeStringAtomically(uri, JSON.writeValueAsString(watermark));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the watermark for " + uri, e);
    }
  }

  private static Watermark parse(String uri, String json) {
    try {
      return JSON.readValue(json, Watermark.class);
    } catch (JsonProcessingException e) {
      // Retryable on purpose: an operator can repair or delete the file while retries run.
      throw new UncheckedIOException(
          uri
              + " is not a valid watermark document (repair or delete it): "
              + e.getOriginalMessage(),
          e);
    }
  }

  private static String uri(LakeTable sink) {
    return RunKeys.stateDir(sink) + "/watermark.json";
  }

  /**
   * @param column the watermark column
   * @param value the highest published value, as the source wrote it
   * @param publishedBy run key of the run that published it
   * @param publishedAt ISO-8601 instant of the publish
   */
  record Watermark(String column, String value, String publishedBy, String publishedAt) {}
}
