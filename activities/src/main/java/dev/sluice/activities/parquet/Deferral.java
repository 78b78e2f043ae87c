package dev.sluice.activities.parquet;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.pipeline.DeferralSpec;
import dev.sluice.workflows.activities.Messages.DeferralRequest;
import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.RunKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
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
 * name, {@link RowMapping}), {@code deferred/} and {@code expired/} with the rows' own schema plus
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

  /** Rows between checks whether a file reached the target size (the check walks every column). */
  private static final int ROLL_CHECK_ROWS = 1024;

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
      try (Writers output = new Writers(dir, request.runKey());
          Writers deferred = new Writers(dir + "/" + DEFERRED, request.runKey());
          Writers expired = new Writers(dir + "/" + EXPIRED, expiredRun())) {
        for (String uri : staged) {
          splitStaged(uri, data, deferredKeys, supersededKeys, output, deferred, expired);
        }
        for (String uri : previous) {
          splitDeferred(uri, data, supersededKeys, output, deferred, expired);
        }
        List<String> outputFiles = output.finish();
        List<String> deferredFiles = deferred.finish();
        List<String> expiredFiles = expired.finish();
        new DeferralManifest(outputFiles, deferredFiles, expiredFiles, expiredRun())
            .write(files, dir);
        return new DeferralResult(
            dir,
            outputFiles,
            output.rows(),
            output.bytes(),
            deferred.rows(),
            released,
            superseded,
            expired.rows());
      }
    }

    /** This run's rows: complete ones out, the others deferred. */
    private void splitStaged(
        String uri,
        MessageType data,
        Map<List<String>, Long> deferredKeys,
        Set<List<String>> supersededKeys,
        Writers output,
        Writers deferred,
        Writers expired) {
      try (ParquetRowReader reader = ParquetRowReader.open(files, uri, null)) {
        Shape shape = new Shape(reader.schema(), rule);
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

    /** The rows earlier runs deferred: dropped, released, expired or kept. */
    private void splitDeferred(
        String uri,
        MessageType data,
        Set<List<String>> supersededKeys,
        Writers output,
        Writers deferred,
        Writers expired) {
      try (ParquetRowReader reader = ParquetRowReader.open(files, uri, null)) {
        Shape shape = new Shape(reader.schema(), rule);
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
          Shape shape = new Shape(reader.schema(), rule);
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
     * This run's schema: its first staged file's, or with nothing staged the deferred table's
     * (without {@code DEFERRED_AT}); null when there is no data at all.
     */
    private MessageType dataSchema(List<String> staged, List<String> previous) {
      if (!staged.isEmpty()) {
        return schemaOf(staged.get(0));
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
     * The expired files' run key: the run and its "now". A retry (same request) overwrites its own
     * files; another run of the same window adds its own rather than replacing reported rows.
     */
    private String expiredRun() {
      return request.runKey() + "-" + now;
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

    /** One sequence of rolling files per schema, under one directory. */
    private final class Writers implements AutoCloseable {
      private final String directory;
      private final String runKey;
      private final Map<MessageType, Sequence> bySchema = new LinkedHashMap<>();
      private MessageType lastSchema;
      private Sequence lastSequence;
      private boolean finished;
      private long rows;
      private long bytes;

      Writers(String directory, String runKey) {
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
    }
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

  /** Where one schema keeps the rule's columns, and how a row of it is judged. */
  private static final class Shape {
    private final int[] required;
    private final int[] key;
    private final PrimitiveType[] keyTypes;
    private final int deferredAt;

    Shape(MessageType schema, DeferralSpec rule) {
      this.required = indexes(schema, rule.requiredFields());
      this.key = indexes(schema, rule.key());
      this.keyTypes = new PrimitiveType[key.length];
      for (int k = 0; k < key.length; k++) {
        keyTypes[k] = key[k] < 0 ? null : schema.getType(key[k]).asPrimitiveType();
      }
      this.deferredAt =
          schema.containsField(DeferralSpec.DEFERRED_AT)
              ? schema.getFieldIndex(DeferralSpec.DEFERRED_AT)
              : -1;
    }

    /**
     * Every required field present, non-null and, if text, non-empty. A column this schema lacks
     * counts as null: an older deferred row stays deferred until it expires.
     */
    boolean complete(Object[] row) {
      for (int i : required) {
        if (i < 0 || row[i] == null || (row[i] instanceof Binary b && b.length() == 0)) {
          return false;
        }
      }
      return true;
    }

    /**
     * The row's key, each column as text (so 42 and "42" match across schema changes); null without
     * a key rule, or when a key column is null or absent: such a row identifies nothing.
     */
    List<String> key(Object[] row) {
      if (key.length == 0) {
        return null;
      }
      String[] values = new String[key.length];
      for (int k = 0; k < key.length; k++) {
        Object value = key[k] < 0 ? null : row[key[k]];
        if (value == null) {
          return null;
        }
        values[k] = text(keyTypes[k], value);
      }
      return List.of(values);
    }

    /** When the row was first deferred; {@code fallback} for a row without the column. */
    long deferredAt(Object[] row, long fallback) {
      return deferredAt >= 0 && row[deferredAt] instanceof Long at ? at : fallback;
    }

    private static int[] indexes(MessageType schema, List<String> names) {
      return names.stream()
          .mapToInt(n -> schema.containsField(n) ? schema.getFieldIndex(n) : -1)
          .toArray();
    }

    private static String text(PrimitiveType type, Object value) {
      LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
      if (logical instanceof DecimalLogicalTypeAnnotation d) {
        BigInteger unscaled =
            value instanceof Binary b
                ? new BigInteger(b.getBytes())
                : BigInteger.valueOf(((Number) value).longValue());
        return new BigDecimal(unscaled, d.getScale()).toPlainString();
      }
      if (logical instanceof TimestampLogicalTypeAnnotation t && value instanceof Long v) {
        return switch (t.getUnit()) {
          case MILLIS -> Instant.ofEpochMilli(v).toString();
          case MICROS ->
              Instant.ofEpochSecond(
                      Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1_000L)
                  .toString();
          case NANOS ->
              Instant.ofEpochSecond(
                      Math.floorDiv(v, 1_000_000_000L), Math.floorMod(v, 1_000_000_000L))
                  .toString();
        };
      }
      if (logical instanceof DateLogicalTypeAnnotation && value instanceof Integer days) {
        return LocalDate.ofEpochDay(days).toString();
      }
      if (value instanceof Binary b) {
        return logical == null && type.getPrimitiveTypeName() != PrimitiveTypeName.BINARY
            ? HexFormat.of().formatHex(b.getBytes())
            : b.toStringUsingUTF8();
      }
      return value.toString();
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
