package dev.sluice.activities.parquet;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.pipeline.LakeTable;
import dev.sluice.workflows.activities.RunKeys;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.Type;

/**
 * The schema of a table's data files, kept beside it in {@code _sluice/schema/<version>.json}:
 * every column any published run wrote, each with the one type all its files share. A run's
 * publish checks its files against it first ({@link #admit}): a column (or struct field) the table
 * lacks is added, as a nullable one; a column whose type differs refuses the publish before a file
 * moves, so an {@code append} table never holds files whose columns disagree. A {@code snapshot}
 * publish replaces every file, and with them the schema.
 *
 * <p>The schema changes by compare-and-set: the current schema is the highest version (20 digits,
 * so names sort as numbers); a publish that changes it creates the next version only if no file of
 * that name exists ({@link HadoopFiles#createIfAbsent}). Two publishes of one table at once (append
 * windows, queue ingest with several workers) cannot both create it: the loser reads the winner's
 * version and merges and checks its run against that, so no column is lost and a column never gets
 * two types. The create is atomic on {@code file:} (a hard link) and HDFS (a rename without
 * overwrite); on object stores it is a check, then a write, and two writers of one version in the
 * same moment may both believe they won (each reads its version back, which narrows that moment
 * but cannot close it). Versions are created only when the schema changes (a retried publish, or
 * a run with no new column, creates none), so they stay few; none is deleted.
 *
 * <p>A table published before the schema was versioned keeps its schema in {@code
 * _sluice/schema.json}: while no version exists it is the current schema (version 0), and the next
 * change creates version 1 beside it. It is no longer written (stale once a version exists). A
 * table published before the schema was kept at all gets its schema from one of its data files.
 * The version is created before the first data file moves, so a crash in between leaves it ahead
 * of the table, never behind. Readers of a table whose runs added columns read its files by name
 * (DuckDB {@code union_by_name}, Spark {@code mergeSchema}).
 */
final class TableSchema {
  /**
   * How many versions a publish may try to create before it gives up. Each lost attempt means
   * another publish changed the schema meanwhile, so N publishes of one table at once lose at most
   * N - 1 times; more means the table's schema keeps changing faster than one publish can check.
   */
  static final int MAX_ATTEMPTS = 20;

  /** A version file's name: 20 digits (a zero-padded {@code long}), then {@code .json}. */
  private static final Pattern VERSION = Pattern.compile("(\\d{20})\\.json");

  private final HadoopFiles files;
  private final LongConsumer beforeCreate;

  TableSchema(HadoopFiles files) {
    this(files, version -> {});
  }

  /**
   * As {@link #TableSchema(HadoopFiles)}, calling {@code beforeCreate} with the version a publish
   * is about to create, after it has read and checked the one before (tests make another publish
   * win there).
   */
  TableSchema(HadoopFiles files, LongConsumer beforeCreate) {
    this.files = files;
    this.beforeCreate = beforeCreate;
  }

  /**
   * The stored schema (the Parquet message type, as parquet-java prints it) and the run that
   * stored it.
   */
  record Stored(String schema, String storedBy) {}

  /**
   * The newest stored schema and its version: 0 for the legacy {@code schema.json} or when nothing
   * is stored.
   */
  private record Versioned(long version, Optional<Stored> stored) {}

  /** A column whose type is {@code known} on one side and {@code found} on the other. */
  private record Conflict(String column, String known, String found) {
    String problem(String knownSide, String foundSide) {
      return String.format(
          "column '%s' is %s %s but %s %s", column, known, knownSide, found, foundSide);
    }
  }

  /**
   * The table's schema kept changing while a publish checked its run against it: {@link
   * #MAX_ATTEMPTS} versions in a row were created by other publishes first. Nothing was published;
   * it is retryable (the activity's retry checks again).
   */
  static final class SchemaKeptChangingException extends RuntimeException {
    SchemaKeptChangingException(String message) {
      super(message);
    }
  }

  /**
   * Checks the run's staged files against the table's schema and stores the schema the table will
   * have once they are published, as a new version when it changes. Call it before any file moves;
   * calling it again (a retried publish) finds its own columns and creates no version.
   *
   * @param sink the table
   * @param stagingUri where {@code names} are staged (or, moved by an earlier attempt, the table)
   * @param names the run's files; the run's schema is the union of theirs (a file written after a
   *     column appeared mid-run has it, earlier ones lack it)
   * @param replaceAll a snapshot: the run's schema becomes the table's
   * @throws SchemaMismatchException naming every column whose type differs, the table's type and
   *     the run's (checked against whichever version is the newest when this publish stores its
   *     own)
   * @throws SchemaKeptChangingException when other publishes created {@link #MAX_ATTEMPTS}
   *     versions first, one after another
   * @throws UncheckedIOException when a footer or a schema file cannot be read or written
   */
  void admit(
      LakeTable sink, String stagingUri, String runKey, List<String> names, boolean replaceAll) {
    if (names.isEmpty()) {
      return;
    }
    String table = trimSlash(sink.path());
    MessageType run = runSchema(stagingUri, table, names);
    if (run == null) {
      return;
    }
    Versioned latest = null;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      latest = latest(sink);
      Optional<Stored> stored = latest.stored();
      MessageType current =
          stored
              .map(s -> MessageTypeParser.parseMessageType(s.schema()))
              .or(() -> anyDataFile(table, names).flatMap(this::footer))
              .orElse(null);
      MessageType next = replaceAll || current == null ? run : fitted(table, stored, current, run);
      if (stored.isPresent() && next.equals(current)) {
        return; // nothing changes: a retried publish, or a run that adds no column
      }
      long version = latest.version() + 1;
      beforeCreate.accept(version);
      if (create(sink, version, new Stored(next.toString(), runKey))) {
        return;
      }
      // Another publish created this version first: check against it.
    }
    throw new SchemaKeptChangingException(
        table
            + ": the table's schema kept changing while this run's publish checked its columns"
            + " against it: other runs created "
            + MAX_ATTEMPTS
            + " versions first, the latest "
            + latest.version()
            + latest.stored().map(s -> " by run " + s.storedBy()).orElse("")
            + ". Nothing was published; the publish is retried");
  }

  /** {@code current} with {@code run} merged in, or a failure naming every column that differs. */
  private static MessageType fitted(
      String table, Optional<Stored> stored, MessageType current, MessageType run) {
    List<Conflict> conflicts = new ArrayList<>();
    List<Type> fields = merge(current, run, "", conflicts);
    if (!conflicts.isEmpty()) {
      throw SchemaMismatchException.forTable(
          conflicts.get(0).column(),
          table
              + ": this run's data does not fit the table's schema"
              + stored.map(s -> " (last changed by run " + s.storedBy() + ")").orElse("")
              + ": "
              + conflicts.stream()
                  .map(c -> c.problem("in the table", "in this run"))
                  .collect(Collectors.joining("; "))
              + ". An append table never holds files whose columns disagree, so nothing was"
              + " published. Declare the column in sink.columns with the table's type, or write"
              + " to a new table (or use mode: snapshot, which replaces every file)");
    }
    return new MessageType(current.getName(), fields);
  }

  /**
   * The union of the schemas of the run's files (null when none is Parquet): a column of a later
   * file is added. The staging writer never changes a column's type mid-run; files that disagree
   * anyway (parts typed apart) fail as a table would.
   */
  private MessageType runSchema(String stagingUri, String table, List<String> names) {
    MessageType run = null;
    List<Conflict> conflicts = new ArrayList<>();
    for (String name : names) {
      Optional<MessageType> written = footer(staged(stagingUri, table, name));
      if (written.isEmpty()) {
        continue;
      }
      run =
          run == null
              ? written.get()
              : new MessageType(run.getName(), merge(run, written.get(), "", conflicts));
    }
    if (!conflicts.isEmpty()) {
      throw SchemaMismatchException.forTable(
          conflicts.get(0).column(),
          table
              + ": this run's files disagree: "
              + conflicts.stream()
                  .map(c -> c.problem("in one file", "in another"))
                  .collect(Collectors.joining("; "))
              + ", so nothing was published. Declare the column in sink.columns");
    }
    return run;
  }

  /** The current stored schema (the newest version, else the legacy file), if any. */
  Optional<Stored> read(LakeTable sink) {
    return latest(sink).stored();
  }

  /**
   * The newest version and its schema; without versions, the legacy {@code schema.json} (or
   * nothing) as version 0.
   */
  private Versioned latest(LakeTable sink) {
    // A version is never deleted by Sluice: one listed but gone was deleted by hand; list again.
    for (int attempt = 0; attempt < 3; attempt++) {
      OptionalLong newest = newestVersion(sink);
      if (newest.isEmpty()) {
        return new Versioned(0, read(legacyUri(sink)));
      }
      Optional<Stored> stored = read(versionUri(sink, newest.getAsLong()));
      if (stored.isPresent()) {
        return new Versioned(newest.getAsLong(), stored);
      }
    }
    throw new UncheckedIOException(
        new IOException(versionsUri(sink) + ": the newest schema version keeps disappearing"));
  }

  /** The highest version number under {@code _sluice/schema/}, if any. */
  private OptionalLong newestVersion(LakeTable sink) {
    String dir = versionsUri(sink);
    try {
      FileStatus[] listed;
      try {
        listed = files.fs(dir).listStatus(new Path(dir));
      } catch (FileNotFoundException e) {
        return OptionalLong.empty();
      }
      return Arrays.stream(listed)
          .map(status -> VERSION.matcher(status.getPath().getName()))
          .filter(Matcher::matches) // not the hidden files a create writes first
          .mapToLong(m -> Long.parseLong(m.group(1)))
          .max();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates {@code version} with {@code schema} unless it exists; returns whether {@code schema} is
   * what it holds. Read back because on object stores a writer of the same version in the same
   * moment may have replaced it.
   */
  private boolean create(LakeTable sink, long version, Stored schema) {
    String uri = versionUri(sink, version);
    return StateFiles.create(files, uri, schema) && read(uri).filter(schema::equals).isPresent();
  }

  private Optional<Stored> read(String uri) {
    return StateFiles.read(files, uri, Stored.class, "table schema (repair or delete it)");
  }

  /**
   * The fields of {@code table} with {@code run}'s merged in: a field only {@code run} has is
   * appended; a field both have must have the same type (structs merge field by field, lists by
   * element), or a conflict is added.
   */
  private static List<Type> merge(
      GroupType table, GroupType run, String path, List<Conflict> conflicts) {
    List<Type> fields = new ArrayList<>(table.getFields());
    for (Type field : run.getFields()) {
      String name = path + field.getName();
      if (!table.containsField(field.getName())) {
        fields.add(field);
        continue;
      }
      int index = table.getFieldIndex(field.getName());
      Type known = table.getType(index);
      Type merged = merged(known, field, name, conflicts);
      if (merged == null) {
        conflicts.add(new Conflict(name, describe(known), describe(field)));
      } else {
        fields.set(index, merged);
      }
    }
    return fields;
  }

  /** The type both fit, or null when they conflict. */
  private static Type merged(Type known, Type field, String name, List<Conflict> conflicts) {
    if (known.isPrimitive() != field.isPrimitive()) {
      return null;
    }
    if (known.isPrimitive()) {
      return RowMapping.sameType(known.asPrimitiveType(), field.asPrimitiveType()) ? known : null;
    }
    GroupType a = known.asGroupType();
    GroupType b = field.asGroupType();
    boolean listA = isList(a);
    if (listA != isList(b)) {
      return null;
    }
    if (listA) {
      GroupType repeatedA = a.getType(0).asGroupType();
      GroupType repeatedB = b.getType(0).asGroupType();
      List<Type> element = merge(repeatedA, repeatedB, name + "[].", conflicts);
      return a.withNewFields(repeatedA.withNewFields(element));
    }
    return a.withNewFields(merge(a, b, name + ".", conflicts));
  }

  /** A Parquet type as a pipeline file spells it: {@code list<struct<id: long>>}. */
  static String describe(Type type) {
    if (type.isPrimitive()) {
      return RowMapping.describe(type.asPrimitiveType());
    }
    GroupType group = type.asGroupType();
    if (isList(group)) {
      return "list<" + describe(group.getType(0).asGroupType().getType(0)) + ">";
    }
    return group.getFields().stream()
        .map(f -> ColumnTypeGrammar.fieldName(f.getName()) + ": " + describe(f))
        .collect(Collectors.joining(", ", "struct<", ">"));
  }

  /** A three-level LIST group (the only list encoding Sluice writes). */
  private static boolean isList(GroupType group) {
    return LogicalTypeAnnotation.listType().equals(group.getLogicalTypeAnnotation())
        && group.getFieldCount() == 1
        && !group.getType(0).isPrimitive()
        && group.getType(0).isRepetition(Type.Repetition.REPEATED)
        && group.getType(0).asGroupType().getFieldCount() == 1;
  }

  private Path staged(String stagingUri, String table, String name) {
    Path staged = new Path(stagingUri, name);
    Path published = new Path(table, name);
    try {
      if (files.fs(stagingUri).exists(staged)) {
        return staged;
      }
      if (files.fs(table).exists(published)) {
        return published; // moved by an earlier attempt of this publish
      }
      throw new StagedFileMissingException(staged, published);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + staged + ": " + e.getMessage(), e);
    }
  }

  /** A data file of the table that is not one of the run's own (from an earlier attempt). */
  private Optional<Path> anyDataFile(String table, List<String> runFiles) {
    FileSystem fs = files.fs(table);
    Path dir = new Path(table);
    try {
      if (!fs.exists(dir)) {
        return Optional.empty();
      }
      for (FileStatus status : fs.listStatus(dir)) {
        String name = status.getPath().getName();
        if (status.isFile() && PartFiles.isData(name) && !runFiles.contains(name)) {
          return Optional.of(status.getPath());
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + table + ": " + e.getMessage(), e);
    }
  }

  /**
   * The schema in {@code file}'s footer; empty when the file is no Parquet file (not one the staging
   * writer wrote: its schema is unknown, and publishing it was the caller's choice).
   */
  private Optional<MessageType> footer(Path file) {
    try (ParquetFileReader reader = ParquetReads.open(files, file)) {
      return Optional.of(reader.getFooter().getFileMetaData().getSchema());
    } catch (RuntimeException e) {
      if (String.valueOf(e.getMessage()).contains("is not a Parquet file")) {
        return Optional.empty(); // parquet-java's words for too short, or no magic number
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the schema of " + file + ": " + e.getMessage(), e);
    }
  }

  private static String versionsUri(LakeTable sink) {
    return RunKeys.stateDir(sink) + "/schema";
  }

  /** {@code _sluice/schema/<version, 20 digits>.json}. */
  static String versionUri(LakeTable sink, long version) {
    return versionsUri(sink) + "/" + String.format("%020d", version) + ".json";
  }

  /** Where the schema was kept before it was versioned; read while no version exists. */
  private static String legacyUri(LakeTable sink) {
    return RunKeys.stateDir(sink) + "/schema.json";
  }

  private static String trimSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
