package dev.sluice.sandbox.platform;

import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * The XDM field types the emulation knows, with their JSON Schema rendering and the Parquet
 * physical type an uploaded file must use for them (XDM's {@code meta:xdmType} mapping).
 */
public enum FieldType {
  STRING("string", "string", PrimitiveTypeName.BINARY),
  INT("integer", "int", PrimitiveTypeName.INT32),
  LONG("integer", "long", PrimitiveTypeName.INT64),
  DOUBLE("number", "double", PrimitiveTypeName.DOUBLE),
  BOOLEAN("boolean", "boolean", PrimitiveTypeName.BOOLEAN),
  /**
   * Milliseconds since the epoch in Parquet ({@code INT64}, timestamp millis); a date-time string
   * in JSON.
   */
  DATE_TIME("string", "date-time", PrimitiveTypeName.INT64);

  private final String jsonType;
  private final String xdmType;
  private final PrimitiveTypeName parquetType;

  FieldType(String jsonType, String xdmType, PrimitiveTypeName parquetType) {
    this.jsonType = jsonType;
    this.xdmType = xdmType;
    this.parquetType = parquetType;
  }

  /** The JSON Schema {@code type}. */
  public String jsonType() {
    return jsonType;
  }

  /** The {@code meta:xdmType}, also the type name in a dataset's deprecated {@code fields}. */
  public String xdmType() {
    return xdmType;
  }

  PrimitiveTypeName parquetType() {
    return parquetType;
  }

  /** Whether a Parquet column of {@code type} holds this field. */
  boolean accepts(PrimitiveType type) {
    if (type.getPrimitiveTypeName() != parquetType) {
      return false;
    }
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    return switch (this) {
      case STRING ->
          logical == null || logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation;
      case DATE_TIME -> logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
      case LONG -> !(logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation);
      default -> true;
    };
  }

  /** How a file's column reads in an error message: {@code INT64 (TIMESTAMP(MILLIS,true))}. */
  static String describe(PrimitiveType type) {
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    return type.getPrimitiveTypeName() + (logical == null ? "" : " (" + logical + ")");
  }
}
