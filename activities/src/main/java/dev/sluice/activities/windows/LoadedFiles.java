package dev.sluice.activities.windows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.pipeline.LakeTable;
import dev.sluice.workflows.activities.RunKeys;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The source files a table's batch windows loaded, beside the table: {@code
 * <table>/_sluice/loaded/<first 32 hex digits of SHA-256(uri)>.json}, one small document per file
 * ({@link Loaded}), written after the window's rows are published. A notification of a file whose
 * current version is recorded here loads nothing.
 */
final class LoadedFiles {
  /** Its own mapper: this class alone owns the records' format. */
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final HadoopFiles files;

  LoadedFiles(HadoopFiles files) {
    this.files = files;
  }

  /**
   * A loaded file.
   *
   * @param uri the source file
   * @param version what identified its content when it loaded (see {@code SourceFile#version})
   * @param window the window that loaded it
   * @param loadedAt when it was recorded (ISO-8601)
   */
  record Loaded(String uri, String version, String window, String loadedAt) {}

  /** The record of {@code uri}, if a window of {@code table} loaded it. */
  Optional<Loaded> find(LakeTable table, String uri) {
    String at = recordUri(table, uri);
    return files
        .readString(at)
        .map(
            json -> {
              try {
                return JSON.readValue(json, Loaded.class);
              } catch (JsonProcessingException e) {
                // Retryable on purpose: the file can be repaired or deleted while retries run.
                throw new UncheckedIOException(
                    at + " is not a loaded-file record (repair or delete it): "
                        + e.getOriginalMessage(),
                    e);
              }
            });
  }

  /** Records {@code loaded} (replacing an earlier record of the same file). */
  void record(LakeTable table, Loaded loaded) {
    try {
      files.writeStringAtomically(recordUri(table, loaded.uri()), JSON.writeValueAsString(loaded));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a loaded-file record always serializes", e);
    }
  }

  static String recordUri(LakeTable table, String uri) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(uri.getBytes(StandardCharsets.UTF_8));
      return RunKeys.stateDir(table)
          + "/loaded/"
          + HexFormat.of().formatHex(hash).substring(0, 32)
          + ".json";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
