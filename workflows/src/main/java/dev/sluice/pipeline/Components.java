package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeName;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the typed pipeline components say about themselves: the name a record is written under in
 * YAML ({@link JsonTypeName}), the keys it has (its components) and the ones it needs ({@link
 * Required}). The validator, the schema agreement test and the runtime factories all ask here, so
 * a component's keys are declared once, on its record.
 */
public final class Components {
  private Components() {}

  /** The {@code type} a component record is written with, e.g. {@code basic}. */
  public static String typeName(Class<?> record) {
    JsonTypeName name = record.getAnnotation(JsonTypeName.class);
    if (name == null) {
      throw new IllegalArgumentException(record.getName() + " has no @JsonTypeName");
    }
    return name.value();
  }

  /** The {@code type} of {@code component}, e.g. {@code oauth2-client-credentials}. */
  public static String typeName(Object component) {
    return typeName(component.getClass());
  }

  /**
   * The records of a polymorphic component ({@link JsonSubTypes} of {@code family}) by type name,
   * in declaration order.
   */
  public static Map<String, Class<?>> types(Class<?> family) {
    JsonSubTypes subTypes = family.getAnnotation(JsonSubTypes.class);
    if (subTypes == null) {
      throw new IllegalArgumentException(family.getName() + " has no @JsonSubTypes");
    }
    Map<String, Class<?>> types = new LinkedHashMap<>();
    for (JsonSubTypes.Type type : subTypes.value()) {
      String name = type.name().isEmpty() ? typeName(type.value()) : type.name();
      types.put(name, type.value());
    }
    return types;
  }

  /** The keys a record has in a pipeline file, in declaration order ({@link Internal} left out). */
  public static List<String> keys(Class<?> record) {
    return Arrays.stream(record.getRecordComponents())
        .filter(component -> !component.isAnnotationPresent(Internal.class))
        .map(RecordComponent::getName)
        .toList();
  }

  /** The keys a record needs ({@link Required}), in declaration order. */
  public static List<String> requiredKeys(Class<?> record) {
    return Arrays.stream(record.getRecordComponents())
        .filter(component -> component.isAnnotationPresent(Required.class))
        .map(RecordComponent::getName)
        .toList();
  }

  /** The keys of a record that hold secrets ({@link Secret}), in declaration order. */
  public static List<String> secretKeys(Class<?> record) {
    return Arrays.stream(record.getRecordComponents())
        .filter(component -> component.isAnnotationPresent(Secret.class))
        .map(RecordComponent::getName)
        .toList();
  }

  /** The keys of a record whose values are text, in declaration order. */
  public static List<String> textKeys(Class<?> record) {
    return Arrays.stream(record.getRecordComponents())
        .filter(component -> component.getType() == String.class)
        .map(RecordComponent::getName)
        .toList();
  }

  /** The {@link Required} keys of {@code component} left null or empty. */
  public static List<String> missing(Record component) {
    List<String> missing = new ArrayList<>();
    for (RecordComponent key : REQUIRED.get(component.getClass())) {
      Object value;
      try {
        value = key.getAccessor().invoke(component);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + key.getName(), e);
      }
      if (value == null || value instanceof String text && text.isEmpty()) {
        missing.add(key.getName());
      }
    }
    return missing;
  }

  /**
   * The {@link Required} components of each record class, looked up once per class: {@link
   * #missing} runs on every status check (an activity builds its authenticator each time), and
   * {@link Class#getRecordComponents} builds new reflection objects on every call.
   */
  private static final ClassValue<List<RecordComponent>> REQUIRED =
      new ClassValue<>() {
        @Override
        protected List<RecordComponent> computeValue(Class<?> type) {
          return Arrays.stream(type.getRecordComponents())
              .filter(component -> component.isAnnotationPresent(Required.class))
              .toList();
        }
      };
}
