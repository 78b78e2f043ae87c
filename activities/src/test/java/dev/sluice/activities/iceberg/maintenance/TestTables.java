package dev.sluice.activities.iceberg.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;

/** Hadoop tables on a temporary folder, written with Iceberg's generic writer, for the tests. */
final class TestTables {
  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.required(2, "day", Types.StringType.get()),
          Types.NestedField.optional(3, "amount", Types.IntegerType.get()));

  private TestTables() {}

  /** A table partitioned by {@code day} at {@code dir}. */
  static Table create(Path dir) {
    return new HadoopTables(new Configuration())
        .create(
            SCHEMA,
            PartitionSpec.builderFor(SCHEMA).identity("day").build(),
            Map.of("format-version", "2"),
            dir.toUri().toString());
  }

  /** A row of the table's current schema, its values by name. */
  static Record row(Table table, Object... namesAndValues) {
    Record r = GenericRecord.create(table.schema());
    for (int i = 0; i < namesAndValues.length; i += 2) {
      r.setField((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return r;
  }

  /** One data file of {@code rows} (all of one day) written but not committed. */
  static DataFile write(Table table, List<Record> rows) {
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 1, System.nanoTime()).format(FileFormat.PARQUET).build();
    GenericFileWriterFactory writers =
        new GenericFileWriterFactory.Builder(table).dataSchema(table.schema()).build();
    var partition = new org.apache.iceberg.PartitionKey(table.spec(), table.schema());
    partition.partition(rows.get(0));
    DataWriter<Record> writer =
        writers.newDataWriter(files.newOutputFile(table.spec(), partition), table.spec(), partition);
    try (writer) {
      rows.forEach(writer::write);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toDataFile();
  }

  /** Appends one file of {@code rows} in one commit whose summary carries {@code summary}. */
  static long append(Table table, List<Record> rows, Map<String, String> summary) {
    AppendFiles append = table.newAppend().appendFile(write(table, rows));
    summary.forEach(append::set);
    append.commit();
    return table.currentSnapshot().snapshotId();
  }

  /** The table's rows as text, sorted: what a reader sees, independent of file layout. */
  static List<String> rows(Table table) {
    table.refresh();
    List<String> out = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      records.forEach(r -> out.add(r.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(null);
    return out;
  }

  /** How many data files the current snapshot reads. */
  static int dataFiles(Table table) {
    table.refresh();
    int n = 0;
    try (var tasks = table.newScan().planFiles()) {
      for (var ignored : tasks) {
        n++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }
}
