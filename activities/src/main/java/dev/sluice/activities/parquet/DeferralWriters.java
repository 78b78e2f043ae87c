package dev.sluice.activities.parquet;

import dev.sluice.activities.fs.HadoopFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.schema.MessageType;

/**
 * The files a {@link Deferral} writes to one directory: one sequence of rolling files per schema
 * (so a row never loses a column), named from the run so a retry writes the same names.
 */
final class DeferralWriters implements AutoCloseable {
  /** Rows between checks whether a file reached the target size (the check walks every column). */
  private static final int ROLL_CHECK_ROWS = 1024;

  private final HadoopFiles files;
  private final SinkOptions options;
  private final String directory;
  private final String runKey;
  private final Map<MessageType, Sequence> bySchema = new LinkedHashMap<>();
  private MessageType lastSchema;
  private Sequence lastSequence;
  private boolean finished;
  private long rows;
  private long bytes;

  DeferralWriters(HadoopFiles files, SinkOptions options, String directory, String runKey) {
    this.files = files;
    this.options = options;
    this.directory = directory;
    this.runKey = runKey;
  }

  void write(MessageType schema, Object[] row) {
    // Rows come in runs of one schema: skip hashing the schema (a walk of its fields) per row.
    if (schema != lastSchema) {
      lastSequence = bySchema.computeIfAbsent(schema, this::open);
      lastSchema = schema;
    }
    lastSequence.write(row);
  }

  /** Closes every file; returns the names, in the order written. */
  List<String> finish() {
    List<String> names = new ArrayList<>();
    for (Sequence sequence : bySchema.values()) {
      sequence.files.closeCurrent();
      names.addAll(sequence.files.finished());
      rows += sequence.files.rows();
      bytes += sequence.files.bytes();
    }
    finished = true;
    return names;
  }

  long rows() {
    return rows;
  }

  long bytes() {
    return bytes;
  }

  /** After a failure: drops the open files (the retry wipes the directory anyway). */
  @Override
  public void close() {
    if (!finished) {
      bySchema.values().forEach(s -> s.files.abandonCurrent());
    }
  }

  private Sequence open(MessageType schema) {
    // The first schema's files are part-<runKey>-<seq>; any other's get a suffix of their own.
    String key = bySchema.isEmpty() ? runKey : runKey + "-s" + bySchema.size();
    return new Sequence(
        new RollingFileWriter(
            files, directory, key, options, new PhysicalWriteSupport(schema), List.of(), 0, 0));
  }

  /** A rolling file sequence with its own roll check counter. */
  private static final class Sequence {
    private final RollingFileWriter files;
    private int sinceCheck;

    Sequence(RollingFileWriter files) {
      this.files = files;
    }

    void write(Object[] row) {
      files.write(row);
      if (++sinceCheck == ROLL_CHECK_ROWS) {
        sinceCheck = 0;
        if (files.reachedTarget()) {
          files.closeCurrent();
        }
      }
    }
  }
}
