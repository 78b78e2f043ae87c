package dev.sluice.activities.parquet;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Moves rows of physical values from one flat schema to another by column name: a row deferred by
 * an earlier run, whose schema inference or declarations differed, lands in this run's schema.
 * Widening conversions are applied (int to long, whole numbers to double, coarser to finer
 * timestamps, numbers and booleans to text, as the staging writer renders them); a column whose
 * type cannot be converted, or a value in a column the target lacks, fails with a {@link
 * SchemaMismatchException} naming the column, but only for a row that has a value there.
 */
final class RowMapping {
  private final MessageType target;
  private final boolean identity;

  /** Per target column: the source index, or -1. */
  private final int[] sourceIndex;

  /** Per target column: the conversion (null: none needed). */
  private final List<UnaryOperator<Object>> conversions;

  /** Per target column: why a source value cannot be converted, or null. */
  private final String[] unfit;

  /** Source columns the target lacks (besides the ignored one). */
  private final int[] dropped;

  private final MessageType source;

  private RowMapping(
      MessageType source,
      MessageType target,
      int[] sourceIndex,
      List<UnaryOperator<Object>> conversions,
      String[] unfit,
      int[] dropped) {
    this.source = source;
    this.target = target;
    this.sourceIndex = sourceIndex;
    this.conversions = conversions;
    this.unfit = unfit;
    this.dropped = dropped;
    boolean same = source.getFieldCount() == target.getFieldCount() && dropped.length == 0;
    for (int j = 0; same && j < sourceIndex.length; j++) {
      same = sourceIndex[j] == j && conversions.get(j) == null && unfit[j] == null;
    }
    this.identity = same;
  }

  /**
   * The mapping from {@code source} to {@code target}.
   *
   * @param ignored a source column that is never carried over (the deferral timestamp), or null
   */
  static RowMapping between(MessageType source, MessageType target, String ignored) {
    int width = target.getFieldCount();
    int[] sourceIndex = new int[width];
    List<UnaryOperator<Object>> conversions = new ArrayList<>(width);
    String[] unfit = new String[width];
    for (int j = 0; j < width; j++) {
      PrimitiveType to = target.getType(j).asPrimitiveType();
      int i = source.containsField(to.getName()) ? source.getFieldIndex(to.getName()) : -1;
      sourceIndex[j] = i;
      UnaryOperator<Object> conversion = null;
      if (i >= 0) {
        PrimitiveType from = source.getType(i).asPrimitiveType();
        if (!sameType(from, to)) {
          conversion = conversion(from, to);
          if (conversion == null) {
            unfit[j] =
                "a deferred row's column '"
                    + to.getName()
                    + "' is "
                    + describe(from)
                    + " but this run's data has it as "
                    + describe(to)
                    + ", and one does not convert to the other; declare the column with a type"
                    + " both fit in sink.columns (for example {name: "
                    + to.getName()
                    + ", type: string})";
          }
        }
      }
      conversions.add(conversion);
    }
    int[] dropped =
        source.getFields().stream()
            .map(Type::getName)
            .filter(n -> !n.equals(ignored) && !target.containsField(n))
            .mapToInt(source::getFieldIndex)
            .toArray();
    return new RowMapping(source, target, sourceIndex, conversions, unfit, dropped);
  }

  /**
   * {@code row} (indexed like the source) as a row of the target schema.
   *
   * @throws SchemaMismatchException when a value does not fit its target column, or a value is in a
   *     column the target lacks
   */
  Object[] apply(Object[] row) {
    if (identity) {
      return row;
    }
    for (int i : dropped) {
      if (row[i] != null) {
        throw SchemaMismatchException.forDeferredColumn(
            source.getType(i).getName(),
            "a deferred row has a value in column '"
                + source.getType(i).getName()
                + "', which this run's data does not have; declare the column in sink.columns so"
                + " every run keeps it");
      }
    }
    Object[] out = new Object[sourceIndex.length];
    for (int j = 0; j < out.length; j++) {
      int i = sourceIndex[j];
      Object value = i < 0 ? null : row[i];
      if (value == null) {
        continue;
      }
      if (unfit[j] != null) {
        throw SchemaMismatchException.forDeferredColumn(target.getType(j).getName(), unfit[j]);
      }
      UnaryOperator<Object> conversion = conversions.get(j);
      out[j] = conversion == null ? value : conversion.apply(value);
    }
    return out;
  }

  /** The type as a pipeline file spells it where there is such a name, else Parquet's own. */
  static String describe(PrimitiveType type) {
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    PrimitiveTypeName physical = type.getPrimitiveTypeName();
    if (logical == null) {
      return switch (physical) {
        case INT64 -> "long";
        case DOUBLE -> "double";
        case BOOLEAN -> "boolean";
        default -> physical.name().toLowerCase(Locale.ROOT);
      };
    }
    if (logical.equals(LogicalTypeAnnotation.stringType())) {
      return "string";
    }
    if (logical.equals(LogicalTypeAnnotation.dateType())) {
      return "date";
    }
    if (logical instanceof DecimalLogicalTypeAnnotation d) {
      return "decimal(" + d.getPrecision() + "," + d.getScale() + ")";
    }
    if (logical instanceof TimestampLogicalTypeAnnotation t) {
      return "timestamp (" + t.getUnit().name().toLowerCase(Locale.ROOT) + ")";
    }
    return physical.name().toLowerCase(Locale.ROOT) + " " + logical;
  }

  /** Whether values of {@code a} and {@code b} are stored alike. */
  static boolean sameType(PrimitiveType a, PrimitiveType b) {
    return a.getPrimitiveTypeName() == b.getPrimitiveTypeName()
        && Objects.equals(a.getLogicalTypeAnnotation(), b.getLogicalTypeAnnotation())
        && (a.getPrimitiveTypeName() != PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY
            || a.getTypeLength() == b.getTypeLength());
  }

  /** A widening conversion from {@code from} to {@code to}, or null when there is none. */
  private static UnaryOperator<Object> conversion(PrimitiveType from, PrimitiveType to) {
    LogicalTypeAnnotation toLogical = to.getLogicalTypeAnnotation();
    PrimitiveTypeName toPhysical = to.getPrimitiveTypeName();
    if (toPhysical == PrimitiveTypeName.INT64 && plainInteger(to) && plainInteger(from)) {
      return from.getPrimitiveTypeName() == PrimitiveTypeName.INT32
          ? v -> (long) (Integer) v
          : v -> v; // only the annotation differs (INT(64, true) or none)
    }
    if (toPhysical == PrimitiveTypeName.DOUBLE && toLogical == null) {
      if (plainInteger(from) || from.getPrimitiveTypeName() == PrimitiveTypeName.FLOAT) {
        return v -> ((Number) v).doubleValue();
      }
      return null;
    }
    if (toLogical instanceof TimestampLogicalTypeAnnotation toTs
        && from.getLogicalTypeAnnotation() instanceof TimestampLogicalTypeAnnotation fromTs
        && toTs.isAdjustedToUTC() == fromTs.isAdjustedToUTC()
        && from.getPrimitiveTypeName() == PrimitiveTypeName.INT64) {
      long factor = perSecond(toTs.getUnit()) / perSecond(fromTs.getUnit());
      return factor >= 1 ? v -> Math.multiplyExact((Long) v, factor) : null;
    }
    if (LogicalTypeAnnotation.stringType().equals(toLogical)) {
      return toText(from);
    }
    return null;
  }

  /** Numbers, booleans and other text-like columns as text, as the staging writer renders them. */
  private static UnaryOperator<Object> toText(PrimitiveType from) {
    LogicalTypeAnnotation logical = from.getLogicalTypeAnnotation();
    if (plainInteger(from)
        || (logical == null
            && switch (from.getPrimitiveTypeName()) {
              case DOUBLE, FLOAT, BOOLEAN -> true;
              default -> false;
            })) {
      return v -> Binary.fromString(v.toString());
    }
    if (logical instanceof DecimalLogicalTypeAnnotation d) {
      int scale = d.getScale();
      return v -> Binary.fromString(new BigDecimal(unscaled(v), scale).toPlainString());
    }
    if (logical != null
        && (logical.equals(LogicalTypeAnnotation.enumType())
            || logical.equals(LogicalTypeAnnotation.jsonType()))) {
      return v -> v;
    }
    return null;
  }

  private static BigInteger unscaled(Object value) {
    if (value instanceof Binary b) {
      return new BigInteger(b.getBytes());
    }
    return BigInteger.valueOf(((Number) value).longValue());
  }

  /** INT32/INT64 with no annotation or a signed integer one. */
  private static boolean plainInteger(PrimitiveType type) {
    PrimitiveTypeName physical = type.getPrimitiveTypeName();
    if (physical != PrimitiveTypeName.INT32 && physical != PrimitiveTypeName.INT64) {
      return false;
    }
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    return logical == null || (logical instanceof IntLogicalTypeAnnotation i && i.isSigned());
  }

  private static long perSecond(TimeUnit unit) {
    return switch (unit) {
      case MILLIS -> 1_000L;
      case MICROS -> 1_000_000L;
      case NANOS -> 1_000_000_000L;
    };
  }
}
