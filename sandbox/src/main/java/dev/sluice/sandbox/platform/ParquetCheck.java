package dev.sluice.sandbox.platform;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Validates an uploaded file as the platform does when a batch is promoted: it must be Parquet
 * (magic number and footer) and its columns must be fields of the dataset's schema with matching
 * types. A file may leave fields out (the platform's "observable" subset), not add or retype them.
 */
final class ParquetCheck {

  private static final byte[] MAGIC = {'P', 'A', 'R', '1'};
  // Parquet's own minimum: leading magic, footer length, trailing magic.
  private static final int MIN_LENGTH = MAGIC.length + 4 + MAGIC.length;
  private static final String ERROR_TYPE = "java.lang.RuntimeException";

  /** The outcome for one file: its row count, or the error that fails the batch. */
  record Result(long rows, BatchError error) {
    boolean ok() {
      return error == null;
    }
  }

  private ParquetCheck() {}

  /**
   * @param stagePath how the file is named in error messages (the platform's staging location)
   */
  static Result check(DatasetSeed dataset, String stagePath, byte[] bytes) {
    if (bytes.length < MIN_LENGTH) {
      return failed(
          stagePath,
          stagePath + " is not a Parquet file (length is too low: " + bytes.length + ")");
    }
    byte[] tail = Arrays.copyOfRange(bytes, bytes.length - MAGIC.length, bytes.length);
    if (!Arrays.equals(tail, MAGIC)) {
      // The platform's wording (Parquet's own changed over versions): the guide's sample text.
      return failed(
          stagePath,
          stagePath
              + " is not a Parquet file. expected magic number at tail "
              + Arrays.toString(MAGIC)
              + " but found "
              + Arrays.toString(tail));
    }
    ParquetMetadata footer;
    try (ParquetFileReader reader =
        ParquetFileReader.open(InMemoryFiles.input(bytes), ParquetReadOptions.builder().build())) {
      footer = reader.getFooter();
    } catch (IOException | RuntimeException e) {
      return new Result(
          0,
          BatchError.validation(stagePath, String.valueOf(e.getMessage()), e.getClass().getName()));
    }
    List<String> mismatches = mismatches(dataset, footer.getFileMetaData().getSchema());
    if (!mismatches.isEmpty()) {
      return failed(
          stagePath,
          "schema mismatch with dataset " + dataset.id() + ": " + String.join("; ", mismatches));
    }
    return new Result(
        footer.getBlocks().stream().mapToLong(BlockMetaData::getRowCount).sum(), null);
  }

  private static List<String> mismatches(DatasetSeed dataset, MessageType schema) {
    Map<String, DatasetSeed.Field> fields =
        dataset.fields().stream()
            .collect(Collectors.toMap(DatasetSeed.Field::name, Function.identity()));
    List<String> problems = new ArrayList<>();
    for (Type column : schema.getFields()) {
      DatasetSeed.Field field = fields.get(column.getName());
      if (field == null) {
        problems.add("column '" + column.getName() + "' is not a field of the schema");
      } else if (!column.isPrimitive()) {
        problems.add(
            "column '"
                + column.getName()
                + "' is a group, the schema has "
                + field.type().xdmType());
      } else if (column.isRepetition(Type.Repetition.REPEATED)) {
        problems.add(
            "column '"
                + column.getName()
                + "' is repeated, the schema has a single "
                + field.type().xdmType());
      } else if (!field.type().accepts(column.asPrimitiveType())) {
        problems.add(
            "column '"
                + column.getName()
                + "' is "
                + FieldType.describe(column.asPrimitiveType())
                + ", the schema has "
                + field.type().xdmType()
                + " ("
                + field.type().parquetType()
                + ")");
      }
    }
    if (schema.getFields().isEmpty()) {
      problems.add("the file has no columns");
    }
    return problems;
  }

  private static Result failed(String stagePath, String message) {
    return new Result(0, BatchError.validation(stagePath, message, ERROR_TYPE));
  }
}
