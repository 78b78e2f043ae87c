package dev.sluice.activities.iceberg;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * A staged file's Parquet schema with the Iceberg table's field IDs, matched by name: a column's
 * (and a struct field's) ID on its field, a list's element ID on the element of the standard
 * three-level {@code LIST} group, as Iceberg's own writers place them. Readers of the table then
 * find each column by ID, whatever it is called later.
 */
final class ParquetFieldIds {
  private ParquetFieldIds() {}

  /**
   * {@code parquet} with the IDs of {@code schema}.
   *
   * @throws IllegalStateException when a column of {@code parquet} is not in {@code schema} (the
   *     schema was not admitted first)
   */
  static MessageType apply(MessageType parquet, Schema schema) {
    return new MessageType(parquet.getName(), fields(parquet, schema.asStruct(), ""));
  }

  private static List<Type> fields(GroupType group, Types.StructType struct, String path) {
    List<Type> out = new ArrayList<>();
    for (Type field : group.getFields()) {
      Types.NestedField iceberg = struct.field(field.getName());
      if (iceberg == null) {
        throw new IllegalStateException(
            "column " + path + field.getName() + " is not in the table's schema " + struct);
      }
      out.add(withIds(field, iceberg.type(), path + field.getName()).withId(iceberg.fieldId()));
    }
    return out;
  }

  private static Type withIds(Type field, org.apache.iceberg.types.Type type, String path) {
    if (field.isPrimitive()) {
      return field;
    }
    GroupType group = field.asGroupType();
    if (group.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
      Types.ListType list = type.asListType();
      GroupType repeated = group.getType(0).asGroupType();
      Type element = repeated.getType(0);
      Type elementWithIds =
          withIds(element, list.elementType(), path + ".element").withId(list.elementId());
      return group.withNewFields(repeated.withNewFields(elementWithIds));
    }
    return group.withNewFields(fields(group, type.asStructType(), path + "."));
  }
}
