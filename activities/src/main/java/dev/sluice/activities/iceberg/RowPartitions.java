package dev.sluice.activities.iceberg;

import dev.sluice.activities.parquet.Column;
import dev.sluice.activities.parquet.ColumnType;
import dev.sluice.activities.parquet.InvalidSinkException;
import dev.sluice.activities.parquet.StagingLayout;
import dev.sluice.activities.parquet.TypedValues;
import java.util.List;
import java.util.function.Function;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.transforms.Transform;
import org.apache.iceberg.types.Type;

/**
 * Where a row goes in a partitioned table: its partition's directory ({@code
 * ts_day=2026-11-22/bucket_id_16=3}), computed as Iceberg computes it ({@link
 * PartitionSpec#partitionToPath}) from the row's values typed as the writer types them. The commit
 * reads the partition back from the directory, so each file's partition is exactly where it is.
 * Only top-level columns partition a table.
 */
final class RowPartitions implements StagingLayout.RowPartitioner {
  private final PartitionSpec spec;
  private final int[] schemaIndex;
  private final Function<Object, Object>[] typed;
  private final Function<Object, Object>[] transforms;
  private final boolean[] emptyIsNull;

  /** Per partition field, the value of a column the run's data lacks (a work unit's), else null. */
  private final Object[] constants;

  RowPartitions(PartitionSpec spec, Schema schema, List<Column> columns) {
    this(spec, schema, columns, java.util.Map.of());
  }

  /**
   * @param constants values of columns that are not in the run's data, by column name: every row
   *     of the run has that value (a work unit's column)
   */
  @SuppressWarnings("unchecked")
  RowPartitions(
      PartitionSpec spec, Schema schema, List<Column> columns, java.util.Map<String, ?> constants) {
    this.spec = spec;
    List<PartitionField> fields = spec.fields();
    this.schemaIndex = new int[fields.size()];
    this.typed = new Function[fields.size()];
    this.transforms = new Function[fields.size()];
    this.emptyIsNull = new boolean[fields.size()];
    this.constants = new Object[fields.size()];
    List<String> names = columns.stream().map(Column::name).toList();
    for (int i = 0; i < fields.size(); i++) {
      PartitionField field = fields.get(i);
      String name = schema.findColumnName(field.sourceId());
      int at = names.indexOf(name);
      Type source = schema.findType(field.sourceId());
      @SuppressWarnings("rawtypes")
      Transform transform = field.transform();
      transforms[i] = transform.bind(source);
      if (at < 0 && constants.containsKey(name)) {
        schemaIndex[i] = -1;
        this.constants[i] = transforms[i].apply(constants.get(name));
        continue;
      }
      if (at < 0) {
        throw new InvalidSinkException(
            "sink.partitionBy: the table is partitioned by "
                + field.transform()
                + "("
                + name
                + "), a column this run's data lacks");
      }
      schemaIndex[i] = at;
      typed[i] = TypedValues.of(columns.get(at));
      emptyIsNull[i] = columns.get(at).type() != ColumnType.STRING;
    }
  }

  @Override
  public String directory(Object[] row, int[] sourceIndex) {
    PartitionData data = new PartitionData(spec.partitionType());
    for (int i = 0; i < schemaIndex.length; i++) {
      if (schemaIndex[i] < 0) {
        data.set(i, constants[i]);
        continue;
      }
      int at = sourceIndex[schemaIndex[i]];
      Object raw = at >= 0 && at < row.length ? row[at] : null;
      boolean empty = raw == null || emptyIsNull[i] && raw instanceof String s && s.isEmpty();
      data.set(i, empty ? null : partitionValue(i, raw));
    }
    return spec.partitionToPath(data);
  }

  /**
   * The partition value of {@code raw}; null when it does not fit its column, whose writer then
   * fails the run naming the record, as it does for any value that does not fit.
   */
  private Object partitionValue(int i, Object raw) {
    try {
      return transforms[i].apply(typed[i].apply(raw));
    } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
      return null;
    }
  }
}
