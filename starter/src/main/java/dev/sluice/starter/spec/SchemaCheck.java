package dev.sluice.starter.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Validates a pipeline document against {@code pipeline.schema.json} and turns the validator's
 * messages into short ones a pipeline author can act on.
 *
 * <p>The schema selects a source or sink kind with {@code if}/{@code then} on {@code type} rather
 * than {@code oneOf}, so an unknown type is one enum error and a known type is validated by its own
 * branch only: there are no "must be valid to one and only one schema" messages to explain away.
 * Combinator messages that still appear are dropped when a more specific message covers them.
 */
final class SchemaCheck {
  /** Where the schema ships: the pom copies {@code schema/} of the repository here. */
  static final String RESOURCE = "pipeline.schema.json";

  /** VS Code's extension of JSON Schema, also used here: the message for a failed pattern. */
  private static final String PATTERN_ERROR_MESSAGE = "patternErrorMessage";

  private static final Set<String> COMBINATORS =
      Set.of("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "$ref", "properties");

  private final JsonNode schemaTree;
  private final JsonSchema schema;

  private SchemaCheck(JsonNode schemaTree, JsonSchema schema) {
    this.schemaTree = schemaTree;
    this.schema = schema;
  }

  /** Loads the schema shipped with this class. */
  static SchemaCheck load(ObjectMapper json) {
    JsonNode tree;
    try (InputStream in = SchemaCheck.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE + " is not on the classpath beside " + SchemaCheck.class);
      }
      tree = json.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    // Editor-only keywords, declared so the validator neither warns about nor evaluates them.
    JsonMetaSchema metaSchema =
        JsonMetaSchema.builder(JsonMetaSchema.getV202012())
            .keyword(new NonValidationKeyword(PATTERN_ERROR_MESSAGE))
            .build();
    JsonSchemaFactory factory =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012, builder -> builder.metaSchema(metaSchema));
    return new SchemaCheck(tree, factory.getSchema(tree));
  }

  /** Every schema violation of {@code document}, translated; empty when it is valid. */
  List<Problem> validate(JsonNode document) {
    List<Located> located =
        schema.validate(document).stream()
            .map(m -> new Located(m, path(m.getInstanceLocation())))
            .toList();
    // A misspelt required key is reported once, as the unknown key with its suggestion, not also
    // as the required key missing.
    Set<String> suggestedKeys = new LinkedHashSet<>();
    for (Located message : located) {
      if (message.raw.getType().equals("additionalProperties")) {
        suggestedKey(message.raw)
            .ifPresent(key -> suggestedKeys.add(DocPath.key(message.path, key)));
      }
    }
    Set<Problem> problems = new LinkedHashSet<>();
    for (Located message : located) {
      String type = message.raw.getType();
      if (COMBINATORS.contains(type) && coveredByAnother(message, located)) {
        continue;
      }
      if (type.equals("required")
          && suggestedKeys.contains(DocPath.key(message.path, message.raw.getProperty()))) {
        continue;
      }
      problems.add(new Problem(message.path, translate(message.raw, document)));
    }
    return new ArrayList<>(problems);
  }

  private record Located(ValidationMessage raw, String path) {}

  /** Whether a specific message is about the combinator's value or something inside it. */
  private static boolean coveredByAnother(Located combinator, List<Located> all) {
    return all.stream()
        .filter(other -> !COMBINATORS.contains(other.raw.getType()))
        .anyMatch(other -> within(other.path, combinator.path));
  }

  private static boolean within(String path, String ancestor) {
    return ancestor.isEmpty()
        || path.equals(ancestor)
        || path.startsWith(ancestor + ".")
        || path.startsWith(ancestor + "[");
  }

  private String translate(ValidationMessage message, JsonNode document) {
    Object[] arguments = message.getArguments() == null ? new Object[0] : message.getArguments();
    JsonNode instance = at(document, message.getInstanceLocation());
    Optional<JsonNode> keywordOwner = keywordOwner(message);
    return switch (message.getType()) {
      case "additionalProperties" ->
          "unknown key '"
              + message.getProperty()
              + "'"
              + suggestedKey(message).map(key -> " (did you mean '" + key + "'?)").orElse("");
      case "required" ->
          "missing required key '" + message.getProperty() + "'" + condition(message).orElse("");
      case "dependentRequired" ->
          "missing key '" + arguments[0] + "' (needed when '" + arguments[1] + "' is set)";
      case "type" -> typeMessage(String.valueOf(arguments[1]), instance, keywordOwner);
      case "enum" -> {
        List<String> allowed = texts(message.getSchemaNode());
        String typed = instance.isTextual() ? instance.textValue() : instance.toString();
        yield "'"
            + typed
            + "' is not one of "
            + String.join(", ", allowed)
            + (instance.isTextual() ? Suggestions.didYouMean(typed, allowed) : "");
      }
      case "const" -> "must be '" + message.getSchemaNode().asText() + "'";
      case "pattern" ->
          keywordOwner
                  .map(owner -> owner.path(PATTERN_ERROR_MESSAGE))
                  .filter(JsonNode::isTextual)
                  .map(JsonNode::textValue)
                  .orElse("does not match " + message.getSchemaNode().asText())
              + " (found '"
              + instance.asText()
              + "')";
      case "propertyNames" ->
          "'"
              + message.getProperty()
              + "' "
              + keywordOwner
                  .map(
                      owner -> owner.path("propertyNames").path(PATTERN_ERROR_MESSAGE).asText(null))
                  .orElse("is not an allowed name");
      case "minLength" ->
          message.getSchemaNode().asInt() == 1
              ? "must not be empty"
              : "must be at least " + message.getSchemaNode().asInt() + " characters long";
      case "maxLength" ->
          message.getSchemaNode().asInt() == 1
              ? "must be a single character (found '" + instance.asText() + "')"
              : "must be at most " + message.getSchemaNode().asInt() + " characters long";
      case "minItems" ->
          message.getSchemaNode().asInt() == 1
              ? "must list at least one item"
              : "must list at least " + message.getSchemaNode().asInt() + " items";
      case "uniqueItems" ->
          firstRepeated(instance).map(item -> item + " is listed twice").orElse("has repeats");
      case "minimum" ->
          "must be at least " + message.getSchemaNode().asText() + " (found " + instance + ")";
      case "maximum" ->
          "must be at most " + message.getSchemaNode().asText() + " (found " + instance + ")";
      default -> withoutLocation(message.getMessage());
    };
  }

  /** The first item of {@code array} that appears again after it, as written in JSON. */
  private static Optional<String> firstRepeated(JsonNode array) {
    Set<JsonNode> seen = new HashSet<>();
    for (JsonNode item : array) {
      if (!seen.add(item)) {
        return Optional.of(item.isTextual() ? "'" + item.textValue() + "'" : item.toString());
      }
    }
    return Optional.empty();
  }

  private static String typeMessage(String expected, JsonNode instance, Optional<JsonNode> owner) {
    String example =
        owner
            .map(o -> o.path("examples").path(0))
            .filter(JsonNode::isTextual)
            .map(e -> " such as '" + e.textValue() + "'")
            .orElse("");
    String found =
        instance.isNull() || instance.isMissingNode()
            ? "nothing (an empty value, or null; quote \"null\" if you mean the text)"
            : instance.getNodeType().toString().toLowerCase(Locale.ROOT)
                + (instance.isValueNode() ? " " + instance : "");
    return "expected " + article(expected) + " " + expected + example + ", found " + found;
  }

  /** The known key closest to an unknown one. */
  private Optional<String> suggestedKey(ValidationMessage unknownKey) {
    Set<String> known =
        keywordOwner(unknownKey)
            .map(owner -> fieldNames(owner.path("properties")))
            .orElse(Set.of());
    return Suggestions.closest(unknownKey.getProperty(), known);
  }

  /** For a requirement inside an {@code if}/{@code then}: " (needed when type is 'basic')". */
  private Optional<String> condition(ValidationMessage message) {
    JsonNodePath fragment = message.getSchemaLocation().getFragment();
    int thenIndex = fragment.getNameCount() - 2;
    if (thenIndex < 0 || !"then".equals(fragment.getElement(thenIndex))) {
      return Optional.empty();
    }
    return schemaAt(fragment, thenIndex)
        .flatMap(
            conditional ->
                conditional.path("if").path("properties").properties().stream().findFirst())
        .map(
            entry -> {
              JsonNode rule = entry.getValue();
              String values =
                  rule.has("const")
                      ? "'" + rule.get("const").asText() + "'"
                      : texts(rule.path("enum")).stream()
                          .map(v -> "'" + v + "'")
                          .collect(Collectors.joining(" or "));
              return " (needed when " + entry.getKey() + " is " + values + ")";
            });
  }

  /**
   * The schema object holding the keyword that failed ({@code .../status} for {@code
   * .../status/required}).
   */
  private Optional<JsonNode> keywordOwner(ValidationMessage message) {
    JsonNodePath fragment = message.getSchemaLocation().getFragment();
    return schemaAt(fragment, fragment.getNameCount() - 1);
  }

  /** The schema object at the first {@code length} elements of {@code fragment}. */
  private Optional<JsonNode> schemaAt(JsonNodePath fragment, int length) {
    JsonNode node = schemaTree;
    for (int i = 0; i < length; i++) {
      Object element = fragment.getElement(i);
      node =
          element instanceof Integer index ? node.path(index) : node.path(String.valueOf(element));
    }
    return node.isObject() ? Optional.of(node) : Optional.empty();
  }

  private static JsonNode at(JsonNode document, JsonNodePath location) {
    JsonNode node = document;
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      node =
          element instanceof Integer index ? node.path(index) : node.path(String.valueOf(element));
    }
    return node;
  }

  /** A validator location as a {@link Problem} path: {@code source.status}, {@code columns[1]}. */
  static String path(JsonNodePath location) {
    String path = "";
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      path =
          element instanceof Integer index
              ? DocPath.index(path, index)
              : DocPath.key(path, String.valueOf(element));
    }
    return path;
  }

  private static String withoutLocation(String message) {
    // The validator prefixes "$.source.status: "; the Problem carries the path already.
    int separator = message.indexOf(": ");
    return message.startsWith("$") && separator > 0 ? message.substring(separator + 2) : message;
  }

  private static String article(String word) {
    return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
  }

  private static Set<String> fieldNames(JsonNode object) {
    Set<String> names = new LinkedHashSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
