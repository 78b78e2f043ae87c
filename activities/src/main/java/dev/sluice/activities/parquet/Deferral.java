package dev.sluice.activities.parquet;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.pipeline.DeferralSpec;
import dev.sluice.workflows.activities.Messages.DeferralRequest;
import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.RunKeys;
import java.io.IOException;
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
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
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
 * <p><b>Files.</b> Everything is written under {@link RunKeys#deferralStaging}: output files {@code
 * part-<runKey>-<seq>.parquet} with the run's schema (earlier rows are mapped into it by column
 * name, {@link RowMapping}; released rows in files of their own that a re-run of the window keeps,
 * {@link DeferralNames}), {@code deferred/} and {@code expired/} with the rows' own schema plus
 * {@code DEFERRED_AT} (one file sequence per schema, so a row never loses a column), and last
 * {@link DeferralManifest}. Names derive from the run, so a retry, which first wipes the directory,
 * writes the same files; the published tables are only read. Nothing is visible before publish.
 */
final class Deferral {
  /** Last segment of {@link RunKeys#deferralStaging}. */
  static final String DIRECTORY = "_deferral";

  static final String DEFERRED = "deferred";
  static final String EXPIRED = "expired";

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
   * @param heartbeat receives the number of rows processed so far, every few thousand rows
   * @throws InvalidSinkException when a rule column is not in the data, the data already has a
   *     {@code DEFERRED_AT} column, {@code defer.path} is on another file system, or the sink is
   *     invalid
   * @throws SchemaMismatchException when a released row does not fit this run's schema
   * @throws UncheckedIOException naming the file, when the file system fails
   */
  DeferralResult apply(DeferralRequest request, LongConsumer heartbeat) {
    Run run = new Run(request, heartbeat);
    return run.execute();
  }

  /** One application of the rule: its inputs, counters and writers. */
  private final class Run {
    private final DeferralRequest request;
    private final DeferralSpec rule;
    private final SinkOptions options;
    private final String dir;
    private final long now;
    private final long retentionMillis;
    private final LongConsumer heartbeat;
    private long processed;
    private long released;
    private long superseded;

    Run(DeferralRequest request, LongConsumer heartbeat) {
      this.request = request;
      this.rule = request.defer();
      this.options = SinkOptions.of(request.sink());
      this.dir = RunKeys.deferralStaging(trimSlash(request.stagingUri()));
      this.now = request.nowMillis();
      this.retentionMillis = rule.retention().toMillis();
      this.heartbeat = heartbeat;
    }

    DeferralResult execute() {
      String table = trimSlash(rule.tablePath(request.sink().path()));
      if (rule.path() != null) {
        requireSameFileSystem(table);
      }
      files.delete(dir); // a retry starts over
      List<String> staged =
          request.files().stream().map(n -> trimSlash(request.stagingUri()) + "/" + n).toList();
      List<String> previous = dataFiles(table);
      MessageType data = dataSchema(staged, previous);
      if (data == null) {
        new DeferralManifest(List.of(), List.of(), List.of(), expiredRun()).write(files, dir);
        return new DeferralResult(dir, List.of(), 0, 0, 0, 0, 0, 0);
      }
      validate(data, !staged.isEmpty());
      Map<List<String>, Long> deferredKeys = rule.key().isEmpty() ? Map.of() : readKeys(previous);
      Set<List<String>> supersededKeys = new HashSet<>();
      try (DeferralWriters output = writers(dir, request.runKey());
          DeferralWriters releases =
              writers(dir, DeferralNames.released(request.runKey(), previous));
          DeferralWriters deferred = writers(dir + "/" + DEFERRED, expiredRun());
          DeferralWriters expired = writers(dir + "/" + EXPIRED, expiredRun())) {
        for (String uri : staged) {
          splitStaged(uri, data, deferredKeys, supersededKeys, output, deferred, expired);
        }
        for (String uri : previous) {
          splitDeferred(uri, data, supersededKeys, releases, deferred, expired);
        }
        List<String> outputFiles = new ArrayList<>(output.finish());
        outputFiles.addAll(releases.finish());
        List<String> deferredFiles = deferred.finish();
        List<String> expiredFiles = expired.finish();
        new DeferralManifest(outputFiles, deferredFiles, expiredFiles, expiredRun())
            .write(files, dir);
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

    /** This run's rows: complete ones out, the others deferred. */
    private void splitStaged(
        String uri,
        MessageType data,
        Map<List<String>, Long> deferredKeys,
        Set<List<String>> supersededKeys,
        DeferralWriters output,
        DeferralWriters deferred,
        DeferralWriters expired) {
      try (ParquetRowReader reader = ParquetRowReader.open(files, uri, null)) {
        DeferralShape shape = new DeferralShape(reader.schema(), rule);
        RowMapping toOutput = RowMapping.between(reader.schema(), data, null);
        MessageType deferredSchema = withDeferredAt(reader.schema());
        int at = deferredSchema.getFieldIndex(DeferralSpec.DEFERRED_AT);
        for (Object[] row = reader.next(); row != null; row = reader.next()) {
          List<String> key = shape.key(row);
          Long earlier = key == null ? null : deferredKeys.get(key);
          if (earlier != null) {
            supersededKeys.add(key);
          }
          if (shape.complete(row)) {
            output.write(data, toOutput.apply(row));
          } else {
            long deferredAt = earlier == null ? now : Math.min(earlier, now);
            Object[] kept = Arrays.copyOf(row, deferredSchema.getFieldCount());
            kept[at] = deferredAt;
            (expired(deferredAt) ? expired : deferred).write(deferredSchema, kept);
          }
          tick();
        }
      }
    }

    /** The rows earlier runs deferred: dropped, released (into {@code output}), expired or kept. */
    private void splitDeferred(
        String uri,
        MessageType data,
        Set<List<String>> supersededKeys,
        DeferralWriters output,
        DeferralWriters deferred,
        DeferralWriters expired) {
      try (ParquetRowReader reader = ParquetRowReader.open(files, uri, null)) {
        DeferralShape shape = new DeferralShape(reader.schema(), rule);
        RowMapping toOutput = RowMapping.between(reader.schema(), data, DeferralSpec.DEFERRED_AT);
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
            output.write(data, toOutput.apply(row));
            released++;
            continue;
          }
          long deferredAt = shape.deferredAt(row, now);
          Object[] kept =
              row.length == keptSchema.getFieldCount() ? row : Arrays.copyOf(row, at + 1);
          kept[at] = deferredAt; // the original time; only a file not written by us lacks it
          (expired(deferredAt) ? expired : deferred).write(keptSchema, kept);
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

    private void requireSameFileSystem(String table) {
      FileSystem staging = files.fs(request.stagingUri());
      FileSystem deferred = files.fs(table);
      if (!staging.getUri().equals(deferred.getUri())) {
        throw new InvalidSinkException(
            "defer.path: "
                + table
                + " is not on the sink's file system ("
                + staging.getUri()
                + "); deferred rows move into it from the sink's staging, and a move cannot"
                + " cross file systems");
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

    /** Data files of the published deferred table, by name; none when it does not exist. */
    private List<String> dataFiles(String table) {
      FileSystem fs = files.fs(table);
      Path dirPath = new Path(table);
      try {
        if (!fs.exists(dirPath)) {
          return List.of();
        }
        return Arrays.stream(fs.listStatus(dirPath))
            .filter(FileStatus::isFile)
            .map(s -> s.getPath().getName())
            .filter(PartFiles::isData)
            .sorted()
            .map(n -> table + "/" + n)
            .toList();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + table + ": " + e.getMessage(), e);
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
