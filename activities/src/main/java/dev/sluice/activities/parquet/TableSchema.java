package dev.sluice.activities.parquet;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.pipeline.LakeTable;
import dev.sluice.workflows.activities.RunKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * The schema of a table's data files, kept beside it in {@code _sluice/schema.json}: every column
 * any published run wrote, each with the one type all its files share. A run's publish checks its
 * files against it first ({@link #admit}): a column (or struct field) the table lacks is added, as
 * a nullable one; a column whose type differs refuses the publish before a file moves, so an {@code
 * append} table never holds files whose columns disagree. A {@code snapshot} publish replaces every
 * file, and with them the schema.
 *
 * <p>A table published before the schema was kept gets its schema from one of its data files. Two
 * windows publishing at the same moment both read the file before either writes it: a column only
 * one of them added may be missing from it until a later run brings it again (the data files keep
 * it; only this record lacks it, and its type is checked again then). The file is written before
 * the first data file moves, so a crash in between leaves it ahead of the table, never behind.
 * Readers of a table whose runs added columns read its files by name (DuckDB {@code
 * union_by_name}, Spark {@code mergeSchema}).
 */
final class TableSchema {
  private final HadoopFiles files;

  TableSchema(HadoopFiles files) {
    this.files = files;
  }

  /**
   * The stored schema (the Parquet message type, as parquet-java prints it) and the run that
   * stored it.
   */
  record Stored(String schema, String storedBy) {}

  /** A column whose type is {@code known} on one side and {@code found} on the other. */
  private record Conflict(String column, String known, String found) {
    String problem(String knownSide, String foundSide) {
      return String.format(
          "column '%s' is %s %s but %s %s", column, known, knownSide, found, foundSide);
    }
  }

  /**
   * Checks the run's staged files against the table's schema and stores the schema the table will
   * have once they are published. Call it before any file moves; calling it again (a retried
   * publish) finds its own columns and changes nothing.
   *
   * @param sink the table
   * @param stagingUri where {@code names} are staged (or, moved by an earlier attempt, the table)
   * @param names the run's files; the run's schema is the union of theirs (a file written after a
   *     column appeared mid-run has it, earlier ones lack it)
   * @param replaceAll a snapshot: the run's schema becomes the table's
   * @throws SchemaMismatchException naming every column whose type differs, the table's type and
   *     the run's
   * @throws UncheckedIOException when a footer or the schema file cannot be read or written
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
    Optional<Stored> stored = read(sink);
    MessageType current =
        stored
            .map(s -> MessageTypeParser.parseMessageType(s.schema()))
            .or(() -> anyDataFile(table, names).flatMap(this::footer))
            .orElse(null);
    MessageType next;
    if (replaceAll || current == null) {
      next = run;
    } else {
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
      next = new MessageType(current.getName(), fields);
    }
    if (current == null || !next.equals(current) || stored.isEmpty()) {
      write(sink, new Stored(next.toString(), runKey));
    }
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

  /** The stored schema, if any. */
  Optional<Stored> read(LakeTable sink) {
    return StateFiles.read(files, uri(sink), Stored.class, "table schema (repair or delete it)");
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

  private void write(LakeTable sink, Stored schema) {
    StateFiles.write(files, uri(sink), schema);
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

  private static String uri(LakeTable sink) {
    return RunKeys.stateDir(sink) + "/schema.json";
  }

  private static String trimSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
