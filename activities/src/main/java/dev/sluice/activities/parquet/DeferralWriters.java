package dev.sluice.activities.parquet;

import dev.sluice.activities.fs.HadoopFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.schema.MessageType;

/**
 * The files a {@link Deferral} writes to one directory: one sequence of rolling files per partition
 * directory and schema (so a row never loses a column), named from the run so a retry writes the
 * same names.
 */
final class DeferralWriters implements AutoCloseable {
  /** Rows between checks whether a file reached the target size (the check walks every column). */
  private static final int ROLL_CHECK_ROWS = 1024;

  private final HadoopFiles files;
  private final SinkOptions options;
  private final String directory;
  private final String runKey;
  private final Map<String, Map<MessageType, Sequence>> byPartition = new LinkedHashMap<>();
  private String lastPartition;
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

  /** Writes {@code row} into the directory itself. */
  void write(MessageType schema, Object[] row) {
    write("", schema, row);
  }

  /** Writes {@code row} into {@code partition} ({@code ""}: the directory itself). */
  void write(String partition, MessageType schema, Object[] row) {
    // Rows come in runs of one schema: skip hashing the schema (a walk of its fields) per row.
    if (schema != lastSchema || !partition.equals(lastPartition)) {
      Map<MessageType, Sequence> bySchema =
          byPartition.computeIfAbsent(partition, p -> new LinkedHashMap<>());
      Sequence sequence = bySchema.get(schema);
      if (sequence == null) {
        sequence = open(partition, schema, bySchema.size());
        bySchema.put(schema, sequence);
      }
      lastSequence = sequence;
      lastSchema = schema;
      lastPartition = partition;
    }
    lastSequence.write(row);
  }

  /**
   * Closes every file; returns the names relative to the directory ({@code [<partition>/]name}),
   * in the order written.
   */
  List<String> finish() {
    List<String> names = new ArrayList<>();
    byPartition.forEach(
        (partition, bySchema) -> {
          String prefix = partition.isEmpty() ? "" : partition + "/";
          for (Sequence sequence : bySchema.values()) {
            sequence.files.closeCurrent();
            sequence.files.finished().forEach(name -> names.add(prefix + name));
            rows += sequence.files.rows();
            bytes += sequence.files.bytes();
          }
        });
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
      byPartition.values().forEach(m -> m.values().forEach(s -> s.files.abandonCurrent()));
    }
  }

  private Sequence open(String partition, MessageType schema, int earlierSchemas) {
    // A partition's first schema's files are part-<runKey>-<seq>; any other's get a suffix.
    String key = earlierSchemas == 0 ? runKey : runKey + "-s" + earlierSchemas;
    String dir = partition.isEmpty() ? directory : directory + "/" + partition;
    return new Sequence(
        new RollingFileWriter(
            files, dir, key, options, new PhysicalWriteSupport(schema), List.of(), 0, 0));
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
