package dev.sluice.activities.parquet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.fs.HadoopFiles;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Small JSON records Sluice keeps in files of its own (a deferral manifest, a table's schema):
 * written in one step, read with unknown keys ignored, so a newer version's file still reads.
 */
final class StateFiles {
  /** Its own mapper: these records' format is owned here, not by the worker's settings. */
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private StateFiles() {}

  /** Writes {@code record} to {@code uri}, replacing any earlier file in one step. */
  static void write(HadoopFiles files, String uri, Object record) {
    try {
      files.writeStringAtomically(uri, JSON.writeValueAsString(record));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render " + record, e);
    }
  }

  /**
   * Creates {@code uri} with {@code record} only if no file is there; returns whether this call
   * created it ({@link HadoopFiles#createIfAbsent}: atomic on {@code file:} and HDFS, check then
   * write on object stores, where callers read the file back to learn who won).
   */
  static boolean create(HadoopFiles files, String uri, Object record) {
    try {
      return files.createIfAbsent(uri, JSON.writeValueAsString(record));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render " + record, e);
    }
  }

  /**
   * The record in {@code uri}, or empty when there is none.
   *
   * @param what what the file is, for the message
   * @throws UncheckedIOException when it cannot be read or parsed (retryable: a torn object-store
   *     read heals, and a damaged file is for the operator to repair or delete)
   */
  static <T> Optional<T> read(HadoopFiles files, String uri, Class<T> type, String what) {
    return files
        .readString(uri)
        .map(
            json -> {
              try {
                return JSON.readValue(json, type);
              } catch (JsonProcessingException e) {
                throw new UncheckedIOException(
                    uri + " is not a valid " + what + ": " + e.getOriginalMessage(), e);
              }
            });
  }
}
