package dev.sluice.starter.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the schema documented (editors show these texts) and strict (typos are errors). */
class PipelineSchemaTest {
  private static JsonNode schema;

  @BeforeAll
  static void readSchema() throws Exception {
    try (InputStream in = PipelineSchemaTest.class.getResourceAsStream(SchemaCheck.RESOURCE)) {
      schema = new ObjectMapper().readTree(in);
    }
  }

  @Test
  void schema_isValidDraft202012() {
    JsonSchema metaSchema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    assertThat(metaSchema.validate(schema)).isEmpty();
  }

  @Test
  void everyProperty_hasTitleAndDescription() {
    List<String> undocumented = new ArrayList<>();
    forEachSchema(
        schema,
        "#",
        (path, node) -> {
          for (Map.Entry<String, JsonNode> property : node.path("properties").properties()) {
            JsonNode documented = resolve(property.getValue());
            // A property may document itself beside its $ref, or inherit the referenced
            // definition's texts.
            for (String keyword : List.of("title", "description")) {
              if (!property.getValue().hasNonNull(keyword) && !documented.hasNonNull(keyword)) {
                undocumented.add(path + "/properties/" + property.getKey() + " has no " + keyword);
              }
            }
          }
        });

    assertThat(undocumented).isEmpty();
  }

  @Test
  void everyObjectWithProperties_rejectsUnknownKeys() {
    List<String> lenient = new ArrayList<>();
    forEachSchema(
        schema,
        "#",
        (path, node) -> {
          if (node.has("properties")
              && !node.path("additionalProperties").equals(BooleanNode.FALSE)
              && !delegatesToStrictBranches(node)) {
            lenient.add(path);
          }
        });

    assertThat(lenient).isEmpty();
  }

  /** A discriminator (source, sink): each if/then branch is a strict definition of one kind. */
  private static boolean delegatesToStrictBranches(JsonNode node) {
    JsonNode branches = node.path("allOf");
    if (!branches.isArray() || branches.isEmpty()) {
      return false;
    }
    for (JsonNode branch : branches) {
      JsonNode target = resolve(branch.path("then"));
      if (!target.path("additionalProperties").equals(BooleanNode.FALSE)) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode resolve(JsonNode node) {
    JsonNode ref = node.path("$ref");
    return ref.isTextual() ? schema.at(ref.textValue().substring(1)) : node;
  }

  private interface Visitor {
    void visit(String path, JsonNode node);
  }

  /** Visits every schema object, except "if" conditions: they test values, they declare none. */
  private static void forEachSchema(JsonNode node, String path, Visitor visitor) {
    if (node.isObject()) {
      visitor.visit(path, node);
      node.properties().stream()
          .filter(e -> !e.getKey().equals("if"))
          .forEach(e -> forEachSchema(e.getValue(), path + "/" + e.getKey(), visitor));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        forEachSchema(node.get(i), path + "/" + i, visitor);
      }
    }
  }
}
