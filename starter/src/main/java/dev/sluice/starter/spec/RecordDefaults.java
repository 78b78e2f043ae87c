package dev.sluice.starter.spec;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sluice.pipeline.Components;
import java.util.Map;

/**
 * A pipeline record with nothing written: every component at the default its constructor gives.
 * Validation messages and the schema agreement test read defaults here, so a default is written
 * once, in its record.
 */
final class RecordDefaults {
  private static final ObjectMapper JSON =
      JsonMapper.builder().addModule(new JavaTimeModule()).build();

  private RecordDefaults() {}

  /**
   * The record of type {@code type} read from an empty object (with its {@code type} when it is
   * one of a polymorphic family's records).
   *
   * @throws IllegalArgumentException when the record cannot be built from nothing
   */
  static <T> T of(Class<T> type) {
    return JSON.convertValue(typeOnly(type), type);
  }

  private static Map<String, String> typeOnly(Class<?> type) {
    Class<?> family = family(type);
    if (family == null) {
      return Map.of();
    }
    String name =
        Components.types(family).entrySet().stream()
            .filter(entry -> entry.getValue().equals(type))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException(type + " is not registered"));
    return Map.of("type", name);
  }

  /** The interface above {@code type} that selects its records by a type id, or null. */
  private static Class<?> family(Class<?> type) {
    for (Class<?> parent : type.getInterfaces()) {
      if (parent.isAnnotationPresent(JsonTypeInfo.class)) {
        return parent;
      }
      Class<?> above = family(parent);
      if (above != null) {
        return above;
      }
    }
    return null;
  }
}
