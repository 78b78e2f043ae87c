package dev.sluice.activities.parquet;

import dev.sluice.activities.fs.HadoopFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Streams the rows of one flat Parquet file, row group by row group, as {@code Object[]} of
 * physical values indexed like {@link #schema()}'s fields: {@code Integer} (INT32), {@code Long}
 * (INT64), {@code Float}, {@code Double}, {@code Boolean}, {@link Binary} (BINARY,
 * FIXED_LEN_BYTE_ARRAY, INT96), null when absent. They are what {@link PhysicalWriteSupport}
 * writes, so a row can be copied to another file without converting it. Only one row group is in
 * memory.
 *
 * <p>Its own record materializer rather than parquet-java's example {@code Group}: one array per
 * row instead of a list per field, and the footer is read once for both schema and data.
 */
final class ParquetRowReader implements AutoCloseable {
  private final Path path;
  private final ParquetFileReader reader;
  private final MessageType schema;
  private final MessageColumnIO columnIo;
  private RecordReader<Object[]> rows;
  private long remaining;

  private ParquetRowReader(Path path, ParquetFileReader reader, MessageType schema) {
    this.path = path;
    this.reader = reader;
    this.schema = schema;
    MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
    this.columnIo = new ColumnIOFactory().getColumnIO(schema, fileSchema);
  }

  /**
   * Opens {@code uri}, reading every column, or only those of {@code columns} the file has.
   *
   * @param columns the columns to read, or null for all
   * @throws InvalidSinkException when the file has nested or repeated columns
   * @throws UncheckedIOException naming the file, when it cannot be opened or is not Parquet
   */
  static ParquetRowReader open(HadoopFiles files, String uri, Collection<String> columns) {
    Path path = new Path(uri);
    ParquetFileReader reader;
    try {
      reader = ParquetReads.open(files, path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + uri + ": " + e.getMessage(), e);
    }
    try {
      MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
      for (Type field : fileSchema.getFields()) {
        if (!field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)) {
          throw new InvalidSinkException(
              uri
                  + " has a nested or repeated column '"
                  + field.getName()
                  + "'; only flat tables can be deferred");
        }
      }
      MessageType schema = columns == null ? fileSchema : project(fileSchema, columns);
      reader.setRequestedSchema(schema);
      return new ParquetRowReader(path, reader, schema);
    } catch (RuntimeException e) {
      closeQuietly(reader, e);
      throw e;
    }
  }

  /** The fields each row holds, in order (a projection keeps the file's order). */
  MessageType schema() {
    return schema;
  }

  /**
   * The next row, or null after the last.
   *
   * @throws UncheckedIOException naming the file
   */
  Object[] next() {
    try {
      while (remaining == 0) {
        if (schema.getFieldCount() == 0) {
          return null; // a projection onto no column of this file
        }
        PageReadStore group = reader.readNextRowGroup();
        if (group == null) {
          return null;
        }
        remaining = group.getRowCount();
        rows = columnIo.getRecordReader(group, new RowMaterializer(schema.getFieldCount()));
      }
      remaining--;
      return rows.read();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + path + ": " + e.getMessage(), e);
    }
  }

  private static MessageType project(MessageType fileSchema, Collection<String> columns) {
    List<Type> fields = new ArrayList<>();
    for (Type field : fileSchema.getFields()) {
      if (columns.contains(field.getName())) {
        fields.add(field);
      }
    }
    return new MessageType(fileSchema.getName(), fields);
  }

  private static void closeQuietly(ParquetFileReader reader, RuntimeException failure) {
    try {
      reader.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /** Builds one {@code Object[]} per record; a field never set stays null. */
  private static final class RowMaterializer extends RecordMaterializer<Object[]> {
    private final int width;
    private Object[] current;
    private final GroupConverter root;

    RowMaterializer(int width) {
      this.width = width;
      Converter[] fields = new Converter[width];
      for (int i = 0; i < width; i++) {
        fields[i] = new Field(i);
      }
      this.root =
          new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
              return fields[fieldIndex];
            }

            @Override
            public void start() {
              current = new Object[RowMaterializer.this.width];
            }

            @Override
            public void end() {}
          };
    }

    @Override
    public Object[] getCurrentRecord() {
      return current;
    }

    @Override
    public GroupConverter getRootConverter() {
      return root;
    }

    private final class Field extends PrimitiveConverter {
      private final int index;

      Field(int index) {
        this.index = index;
      }

      @Override
      public void addBinary(Binary value) {
        // The reader may hand out a view of its page buffer: keep a copy of our own.
        current[index] = value.copy();
      }

      @Override
      public void addBoolean(boolean value) {
        current[index] = value;
      }

      @Override
      public void addDouble(double value) {
        current[index] = value;
      }

      @Override
      public void addFloat(float value) {
        current[index] = value;
      }

      @Override
      public void addInt(int value) {
        current[index] = value;
      }

      @Override
      public void addLong(long value) {
        current[index] = value;
      }
    }
  }
}
