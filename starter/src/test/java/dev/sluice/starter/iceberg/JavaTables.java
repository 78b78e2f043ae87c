package dev.sluice.starter.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * Tables written and read by Iceberg's own Java generic writer and reader (not Sluice's sink): to
 * set up maintenance tests, and as the second reader where pyiceberg is not the point.
 */
public final class JavaTables {
  private JavaTables() {}

  /** A row of the table's current schema, its values by name. */
  public static Record row(Table table, Object... namesAndValues) {
    Record r = GenericRecord.create(table.schema());
    for (int i = 0; i < namesAndValues.length; i += 2) {
      r.setField((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return r;
  }

  /** Appends {@code rows}, one data file per row, in one commit carrying {@code summary}. */
  public static long append(Table table, List<Record> rows, Map<String, String> summary) {
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 1, System.nanoTime()).format(FileFormat.PARQUET).build();
    GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table).build();
    InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
    AppendFiles append = table.newAppend();
    for (Record row : rows) {
      PartitionKey key = new PartitionKey(table.spec(), table.schema());
      key.partition(wrapper.wrap(row));
      DataWriter<Record> writer =
          writers.newDataWriter(files.newOutputFile(table.spec(), key), table.spec(), key);
      try (writer) {
        writer.write(row);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      append.appendFile(writer.toDataFile());
    }
    summary.forEach(append::set);
    append.commit();
    return table.currentSnapshot().snapshotId();
  }

  /** The table's current rows, as Iceberg's generic reader returns them, as text, sorted. */
  public static List<String> rows(Table table) {
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
}
