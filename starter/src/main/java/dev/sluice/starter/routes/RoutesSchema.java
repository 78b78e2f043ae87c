package dev.sluice.starter.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.sluice.starter.spec.Problem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates a routes document against {@code routes.schema.json}, which takes the sink, format and
 * duration definitions from {@code pipeline.schema.json} (both ship in the jar, as they sit side by
 * side in {@code schema/}, so editors resolve the same references).
 */
final class RoutesSchema {
  private static final String BASE = "https://sluice.dev/schema/";
  private static final Set<String> COMBINATORS =
      Set.of("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "$ref", "properties");

  private final JsonSchema schema;

  RoutesSchema() {
    JsonMetaSchema metaSchema =
        JsonMetaSchema.builder(JsonMetaSchema.getV202012())
            .keyword(new NonValidationKeyword("patternErrorMessage"))
            .build();
    JsonSchemaFactory factory =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            builder ->
                builder
                    .metaSchema(metaSchema)
                    // Both schemas are read from the jar (where the pom puts schema/), never
                    // fetched.
                    .schemaMappers(
                        mappers -> mappers.mapPrefix(BASE, "classpath:dev/sluice/starter/spec/")));
    this.schema = factory.getSchema(SchemaLocation.of(BASE + "routes.schema.json"));
  }

  /** Every violation, as {@code path: message}; empty when the document is valid. */
  List<Problem> validate(JsonNode document) {
    List<ValidationMessage> messages = new ArrayList<>(schema.validate(document));
    Set<Problem> problems = new LinkedHashSet<>();
    for (ValidationMessage m : messages) {
      String path = path(m.getInstanceLocation());
      if (COMBINATORS.contains(m.getType())
          && messages.stream()
              .anyMatch(
                  o ->
                      !COMBINATORS.contains(o.getType())
                          && within(path(o.getInstanceLocation()), path))) {
        continue;
      }
      problems.add(new Problem(path, translate(m)));
    }
    return new ArrayList<>(problems);
  }

  private static String translate(ValidationMessage m) {
    JsonNode schemaNode = m.getSchemaNode();
    return switch (m.getType()) {
      case "required" -> "missing required key '" + m.getProperty() + "'";
      case "additionalProperties" -> "unknown key '" + m.getProperty() + "'";
      case "enum" -> {
        List<String> allowed = new ArrayList<>();
        schemaNode.forEach(v -> allowed.add(v.asText()));
        yield "must be one of " + String.join(", ", allowed);
      }
      case "pattern" -> {
        JsonNode owner = m.getSchemaNode();
        yield "does not match " + owner.asText();
      }
      case "minItems" -> "must list at least " + schemaNode.asInt() + " item(s)";
      case "minProperties" -> "must set at least one of its keys";
      case "minLength" -> "must not be empty";
      case "minimum" -> "must be at least " + schemaNode.asText();
      default -> withoutLocation(m.getMessage());
    };
  }

  private static boolean within(String path, String ancestor) {
    return ancestor.isEmpty()
        || path.equals(ancestor)
        || path.startsWith(ancestor + ".")
        || path.startsWith(ancestor + "[");
  }

  static String path(JsonNodePath location) {
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        path.append('[').append(index).append(']');
      } else {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(element);
      }
    }
    return path.toString();
  }

  private static String withoutLocation(String message) {
    int separator = message.indexOf(": ");
    return message.startsWith("$") && separator > 0 ? message.substring(separator + 2) : message;
  }
}
