package dev.sluice.activities.parquet;

import dev.sluice.pipeline.DeferralSpec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/** Where one schema keeps a deferral rule's columns, and how a row of it is judged. */
final class DeferralShape {
  private final int[] required;
  private final int[] key;
  private final PrimitiveType[] keyTypes;
  private final int deferredAt;

  DeferralShape(MessageType schema, DeferralSpec rule) {
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
