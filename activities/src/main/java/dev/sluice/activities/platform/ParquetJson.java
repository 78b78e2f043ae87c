package dev.sluice.activities.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.Type;

/**
 * Nested Parquet values (groups, lists, maps) as JSON, for {@link ParquetRows}: a nested column
 * arrives as its JSON text in a {@code string} column. Leaves are read as {@link ParquetRows}
 * reads scalar columns.
 */
final class ParquetJson {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ParquetJson() {}

  /** Validates a nested field's leaves (throws for an unsupported one). */
  static void validate(Type type) {
    if (type.isPrimitive()) {
      ParquetRows.scalar(type.getName(), type.asPrimitiveType());
      return;
    }
    for (Type child : type.asGroupType().getFields()) {
      validate(child);
    }
  }

  /** Field {@code f} of {@code group} (every repetition) as JSON. */
  static JsonNode field(Group group, int f, Type type) {
    int count = group.getFieldRepetitionCount(f);
    if (type.isRepetition(Type.Repetition.REPEATED)) {
      ArrayNode array = JSON.arrayNode();
      for (int i = 0; i < count; i++) {
        array.add(jsonValue(group, f, i, type));
      }
      return array;
    }
    return count == 0 ? JSON.nullNode() : jsonValue(group, f, 0, type);
  }

  /** One value of field {@code f}: a scalar, or a group as an object, array or map. */
  private static JsonNode jsonValue(Group group, int f, int index, Type type) {
    if (type.isPrimitive()) {
      return scalarJson(ParquetRows.scalar(type.getName(), type.asPrimitiveType()).read(group, f, index));
    }
    Group value = group.getGroup(f, index);
    GroupType groupType = type.asGroupType();
    LogicalTypeAnnotation logical = groupType.getLogicalTypeAnnotation();
    if (logical instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation
        && groupType.getFieldCount() == 1) {
      return list(value, groupType.getType(0));
    }
    if ((logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
            || logical instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation)
        && groupType.getFieldCount() == 1
        && !groupType.getType(0).isPrimitive()) {
      return map(value, groupType.getType(0).asGroupType());
    }
    ObjectNode object = JSON.objectNode();
    for (int i = 0; i < groupType.getFieldCount(); i++) {
      Type child = groupType.getType(i);
      if (value.getFieldRepetitionCount(i) > 0 || child.isRepetition(Type.Repetition.REPEATED)) {
        object.set(child.getName(), field(value, i, child));
      }
    }
    return object;
  }

  /**
   * A LIST group: its repeated child holds the elements, either directly (two-level lists) or in a
   * one-field group (the standard three-level {@code list.element}).
   */
  private static JsonNode list(Group list, Type repeated) {
    ArrayNode array = JSON.arrayNode();
    int count = list.getFieldRepetitionCount(0);
    boolean threeLevel =
        !repeated.isPrimitive()
            && repeated.asGroupType().getFieldCount() == 1
            && !repeated.getName().equals("array")
            && !repeated.getName().endsWith("_tuple");
    for (int i = 0; i < count; i++) {
      if (threeLevel) {
        Group element = list.getGroup(0, i);
        Type elementType = repeated.asGroupType().getType(0);
        array.add(
            element.getFieldRepetitionCount(0) == 0
                ? JSON.nullNode()
                : jsonValue(element, 0, 0, elementType));
      } else {
        array.add(jsonValue(list, 0, i, repeated));
      }
    }
    return array;
  }

  /** A MAP group: a repeated {@code key_value} group of {@code key} and {@code value}. */
  private static JsonNode map(Group map, GroupType keyValue) {
    ObjectNode object = JSON.objectNode();
    int count = map.getFieldRepetitionCount(0);
    for (int i = 0; i < count; i++) {
      Group entry = map.getGroup(0, i);
      Type keyType = keyValue.getType(0);
      String key =
          String.valueOf(
              ParquetRows.scalar(keyType.getName(), keyType.asPrimitiveType()).read(entry, 0, 0));
      object.set(
          key,
          keyValue.getFieldCount() < 2 || entry.getFieldRepetitionCount(1) == 0
              ? JSON.nullNode()
              : jsonValue(entry, 1, 0, keyValue.getType(1)));
    }
    return object;
  }

  private static JsonNode scalarJson(Object value) {
    if (value instanceof Long l) {
      return JSON.numberNode(l);
    }
    if (value instanceof Double d) {
      return JSON.numberNode(d);
    }
    if (value instanceof BigDecimal d) {
      return JSON.numberNode(d);
    }
    if (value instanceof Boolean b) {
      return JSON.booleanNode(b);
    }
    return JSON.textNode(value.toString());
  }
}
