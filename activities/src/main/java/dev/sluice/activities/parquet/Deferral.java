package dev.sluice.activities.parquet;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.pipeline.DeferralSpec;
import dev.sluice.workflows.activities.Messages.DeferralRequest;
import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.RunKeys;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import org.apache.parquet.schema.IncompatibleSchemaModificationException;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * {@code ParquetSinkActivities.applyDeferral}: splits a run's staged rows, unioned with the rows
 * earlier runs deferred, into rows to publish and the run's new deferred set, as {@link
 * DeferralSpec} defines.
 *
 * <p><b>Passes.</b> (1) With a {@code key}, the published deferred table's key columns are read
 * into memory, each key with its earliest deferral time: the only state held across rows, so memory
 * grows with the deferred table (keys only), never with the run. (2) This run's staged rows stream
 * through: complete rows (every required field non-null, text non-empty) go to the output, others
 * to the new deferred set with {@link DeferralSpec#DEFERRED_AT}; a row whose key is deferred marks
 * that key superseded and, if still incomplete, keeps the key's first deferral time (so a row a
 * source keeps sending incomplete still reaches retention). (3) The deferred table streams through:
 * superseded rows are dropped (counted), rows complete now (the rule changed) go to the output
 * (released), rows deferred longer than {@code retention} go to the expired files (counted), the
 * rest stay deferred with their original time.
 *
 * <p><b>Files.</b> The table's format places them ({@link DeferralPlacement}; for a Parquet table
 * everything under {@link RunKeys#deferralStaging}): output files {@code
 * [<partition>/]part-<runKey>-<seq>.parquet} with the run's schema (earlier rows are mapped into it
 * by column name, {@link RowMapping}; released rows in files of their own that a re-run of the
 * window keeps, {@link DeferralNames}), the new deferred set and the expired rows with the rows'
 * own schema plus {@code DEFERRED_AT} (one file sequence per schema, so a row never loses a
 * column), and last {@link DeferralManifest}. A row keeps the partition directory of the file it
 * came from (rows never change, so neither does their partition). Names derive from the run, so a
 * retry, which first wipes the directories, writes the same files; the deferred set in force is
 * only read. Nothing is visible before publish.
 */
final class Deferral {
  /** Last segment of {@link RunKeys#deferralStaging}. */
  static final String DIRECTORY = "_deferral";

  /** Rows between heartbeats: far below a heartbeat timeout at any plausible read speed. */
  private static final int HEARTBEAT_ROWS = 4096;

  private static final PrimitiveType DEFERRED_AT_FIELD =
      Types.optional(PrimitiveTypeName.INT64)
          .as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MILLIS))
          .named(DeferralSpec.DEFERRED_AT);

  private final HadoopFiles files;

  Deferral(HadoopFiles files) {
    this.files = files;
  }

  /** The deferral staging of a publish request's {@code stagingUri}: itself, or below it. */
  static String directoryOf(String stagingUri) {
    String trimmed = trimSlash(stagingUri);
    return trimmed.endsWith("/" + DIRECTORY) ? trimmed : RunKeys.deferralStaging(trimmed);
  }

  /**
   * Applies the rule. See the class documentation.
   *
   * @param placement where the table's format keeps the deferred set and wants the split
   * @param heartbeat receives the number of rows processed so far, every few thousand rows
   * @throws InvalidSinkException when a rule column is not in the data, the data already has a
   *     {@code DEFERRED_AT} column, or the sink is invalid
   * @throws SchemaMismatchException when a released row does not fit this run's schema
   * @throws UncheckedIOException naming the file, when the file system fails
   */
  DeferralResult apply(
      DeferralRequest request, DeferralPlacement placement, LongConsumer heartbeat) {
    Run run = new Run(request, placement, heartbeat);
    return run.execute();
  }

  /** One application of the rule: its inputs, counters and writers. */
  private final class Run {
    private final DeferralRequest request;
    private final DeferralPlacement placement;
    private final DeferralSpec rule;
    private final SinkOptions options;
    private final String dir;
    private final long now;
    private final long retentionMillis;
    private final LongConsumer heartbeat;
    private long processed;
    private long released;
    private long superseded;

    Run(DeferralRequest request, DeferralPlacement placement, LongConsumer heartbeat) {
      this.request = request;
      this.placement = placement;
      this.rule = request.defer();
      this.options = SinkOptions.of(request.sink());
      this.dir = placement.outputDir();
      this.now = request.nowMillis();
      this.retentionMillis = rule.retention().toMillis();
      this.heartbeat = heartbeat;
    }

    DeferralResult execute() {
      // A retry starts over.
      List.of(dir, placement.deferredDir(), placement.expiredDir()).forEach(files::delete);
      String stagingUri = trimSlash(request.stagingUri());
      List<String> staged = request.files().stream().map(n -> stagingUri + "/" + n).toList();
      List<DeferralPlacement.SetFile> previousSet = placement.current();
      List<String> previous = previousSet.stream().map(DeferralPlacement.SetFile::uri).toList();
      MessageType data = dataSchema(staged, previous);
      if (data == null) {
        manifest(List.of(), List.of(), List.of(), 0);
        return new DeferralResult(dir, List.of(), 0, 0, 0, 0, 0, 0);
      }
      validate(data, !staged.isEmpty());
      MessageType out = placement.outputSchema().apply(data);
      Map<List<String>, Long> deferredKeys = rule.key().isEmpty() ? Map.of() : readKeys(previous);
      Set<List<String>> supersededKeys = new HashSet<>();
      String releasedPrefix = placement.releasedPrefix();
      String releasedDir = releasedPrefix.isEmpty() ? dir : dir + "/" + releasedPrefix;
      try (DeferralWriters output = writers(dir, request.runKey());
          DeferralWriters releases =
              writers(releasedDir, DeferralNames.released(request.runKey(), previous));
          DeferralWriters deferred = writers(placement.deferredDir(), expiredRun());
          DeferralWriters expired = writers(placement.expiredDir(), expiredRun())) {
        Split split = new Split(data, out, deferred, expired);
        for (String name : request.files()) {
          splitStaged(stagingUri + "/" + name, partitionOf(name), split, deferredKeys,
              supersededKeys, output);
        }
        for (DeferralPlacement.SetFile file : previousSet) {
          splitDeferred(file, split, supersededKeys, releases);
        }
        List<String> outputFiles = new ArrayList<>(output.finish());
        String prefix = releasedPrefix.isEmpty() ? "" : releasedPrefix + "/";
        releases.finish().forEach(name -> outputFiles.add(prefix + name));
        List<String> deferredFiles = deferred.finish();
        List<String> expiredFiles = expired.finish();
        manifest(outputFiles, deferredFiles, expiredFiles, deferred.rows());
        return new DeferralResult(
            dir,
            List.copyOf(outputFiles),
            output.rows() + releases.rows(),
            output.bytes() + releases.bytes(),
            deferred.rows(),
            released,
            superseded,
            expired.rows());
      }
    }

    private DeferralWriters writers(String directory, String runKey) {
      return new DeferralWriters(files, options, directory, runKey);
    }

    private void manifest(
        List<String> output, List<String> deferred, List<String> expired, long deferredRows) {
      new DeferralManifest(output, deferred, expired, expiredRun(), placement.source(), deferredRows)
          .write(files, dir);
    }

    /** This run's rows: complete ones out, the others deferred. */
    private void splitStaged(
        String uri,
        String partition,
        Split split,
        Map<List<String>, Long> deferredKeys,
        Set<List<String>> supersededKeys,
        DeferralWriters output) {
      try (ParquetRowReader reader = ParquetRowReader.open(files, uri, null)) {
        DeferralShape shape = new DeferralShape(reader.schema(), rule);
        RowMapping toOutput = RowMapping.between(reader.schema(), split.data(), null);
        MessageType deferredSchema = withDeferredAt(reader.schema());
        int at = deferredSchema.getFieldIndex(DeferralSpec.DEFERRED_AT);
        for (Object[] row = reader.next(); row != null; row = reader.next()) {
          List<String> key = shape.key(row);
          Long earlier = key == null ? null : deferredKeys.get(key);
          if (earlier != null) {
            supersededKeys.add(key);
          }
          if (shape.complete(row)) {
            output.write(partition, split.out(), toOutput.apply(row));
          } else {
            long deferredAt = earlier == null ? now : Math.min(earlier, now);
            Object[] kept = Arrays.copyOf(row, deferredSchema.getFieldCount());
            kept[at] = deferredAt;
            split.putAside(partition, deferredSchema, kept, expired(deferredAt));
          }
          tick();
        }
      }
    }

    /** The rows earlier runs deferred: dropped, released (into {@code output}), expired or kept. */
    private void splitDeferred(
        DeferralPlacement.SetFile file,
        Split split,
        Set<List<String>> supersededKeys,
        DeferralWriters output) {
      try (ParquetRowReader reader = ParquetRowReader.open(files, file.uri(), null)) {
        DeferralShape shape = new DeferralShape(reader.schema(), rule);
        RowMapping toOutput =
            RowMapping.between(reader.schema(), split.data(), DeferralSpec.DEFERRED_AT);
        MessageType keptSchema = withDeferredAt(reader.schema());
        int at = keptSchema.getFieldIndex(DeferralSpec.DEFERRED_AT);
        for (Object[] row = reader.next(); row != null; row = reader.next()) {
          tick();
          List<String> key = shape.key(row);
          if (key != null && supersededKeys.contains(key)) {
            superseded++;
            continue;
          }
          if (shape.complete(row)) {
            output.write(file.partition(), split.out(), toOutput.apply(row));
            released++;
            continue;
          }
          long deferredAt = shape.deferredAt(row, now);
          Object[] kept =
              row.length == keptSchema.getFieldCount() ? row : Arrays.copyOf(row, at + 1);
          kept[at] = deferredAt; // the original time; only a file not written by us lacks it
          split.putAside(file.partition(), keptSchema, kept, expired(deferredAt));
        }
      }
    }

    /** Every deferred key with its earliest deferral time. */
    private Map<List<String>, Long> readKeys(List<String> previous) {
      Set<String> columns = new LinkedHashSet<>(rule.key());
      columns.add(DeferralSpec.DEFERRED_AT);
      Map<List<String>, Long> keys = new HashMap<>();
      for (String uri : previous) {
        try (ParquetRowReader reader = ParquetRowReader.open(files, uri, columns)) {
          DeferralShape shape = new DeferralShape(reader.schema(), rule);
          for (Object[] row = reader.next(); row != null; row = reader.next()) {
            List<String> key = shape.key(row);
            if (key != null) {
              keys.merge(key, shape.deferredAt(row, now), Math::min);
            }
            tick();
          }
        }
      }
      return keys;
    }

    private boolean expired(long deferredAt) {
      return now - deferredAt > retentionMillis;
    }

    /**
     * This run's schema: the union of its staged files' (one writer's later file holds every column
     * of its earlier ones, {@link ParquetStagingWriter}, but the parts of a result in parts each
     * have a writer of their own), or with nothing staged the deferred table's (without {@code
     * DEFERRED_AT}); null when there is no data at all.
     */
    private MessageType dataSchema(List<String> staged, List<String> previous) {
      if (!staged.isEmpty()) {
        MessageType union = schemaOf(staged.get(0));
        for (String file : staged.subList(1, staged.size())) {
          try {
            union = union.union(schemaOf(file));
          } catch (IncompatibleSchemaModificationException e) {
            throw new InvalidSinkException(
                "defer: the run's staged files disagree on a column's type ("
                    + e.getMessage()
                    + "); declare the column in sink.columns");
          }
        }
        return union;
      }
      if (previous.isEmpty()) {
        return null;
      }
      MessageType deferred = schemaOf(previous.get(0));
      List<Type> fields = new ArrayList<>(deferred.getFields());
      fields.removeIf(f -> f.getName().equals(DeferralSpec.DEFERRED_AT));
      return new MessageType(deferred.getName(), fields);
    }

    private void validate(MessageType data, boolean fromThisRun) {
      requireColumns("defer.requiredFields", rule.requiredFields(), data);
      requireColumns("defer.key", rule.key(), data);
      if (fromThisRun && data.containsField(DeferralSpec.DEFERRED_AT)) {
        throw new InvalidSinkException(
            "defer: the data has a column named '"
                + DeferralSpec.DEFERRED_AT
                + "', which deferral reserves for when a row was deferred; rename it");
      }
    }

    /**
     * The key of the new deferred set and the expired files ({@link DeferralNames#version}). A
     * retry (same request) overwrites its own files; another run of the same window writes its own
     * rather than replacing reported rows.
     */
    private String expiredRun() {
      return DeferralNames.version(request.runKey(), now);
    }

    private void tick() {
      if (++processed % HEARTBEAT_ROWS == 0) {
        heartbeat.accept(processed);
      }
    }

    private MessageType schemaOf(String uri) {
      try (ParquetRowReader reader = ParquetRowReader.open(files, uri, null)) {
        return reader.schema();
      }
    }
  }

  private static void requireColumns(String key, List<String> columns, MessageType data) {
    for (String column : columns) {
      if (!data.containsField(column)) {
        throw new InvalidSinkException(
            key
                + ": column '"
                + column
                + "' is not in the data (columns: "
                + String.join(", ", data.getFields().stream().map(Type::getName).toList())
                + ")");
      }
    }
  }

  /**
   * What a run writes its rows to, besides the output: the run's data schema, the output files'
   * schema (the same columns, maybe with field IDs), the new deferred set and the expired rows.
   */
  private record Split(
      MessageType data, MessageType out, DeferralWriters deferred, DeferralWriters expired) {

    /** A row that does not land: deferred (in its partition), or expired (flat). */
    void putAside(String partition, MessageType schema, Object[] row, boolean expired) {
      if (expired) {
        this.expired.write(schema, row);
      } else {
        deferred.write(partition, schema, row);
      }
    }
  }

  /** The partition directory of a staged file's name ({@code ""} for a file at the top). */
  private static String partitionOf(String name) {
    int slash = name.lastIndexOf('/');
    return slash < 0 ? "" : name.substring(0, slash);
  }

  private static MessageType withDeferredAt(MessageType schema) {
    if (schema.containsField(DeferralSpec.DEFERRED_AT)) {
      return schema;
    }
    List<Type> fields = new ArrayList<>(schema.getFields());
    fields.add(DEFERRED_AT_FIELD);
    return new MessageType(schema.getName(), fields);
  }

  private static String trimSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
