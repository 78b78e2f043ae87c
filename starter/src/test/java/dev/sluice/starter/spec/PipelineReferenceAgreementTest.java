package dev.sluice.starter.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.AuthSpec;
import dev.sluice.pipeline.BudgetSpec;
import dev.sluice.pipeline.CleanupSpec;
import dev.sluice.pipeline.ConcurrencySpec;
import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.Components;
import dev.sluice.pipeline.DataSize;
import dev.sluice.pipeline.DeferralSpec;
import dev.sluice.pipeline.ExtractSpec;
import dev.sluice.pipeline.FileListingSpec;
import dev.sluice.pipeline.FilesSink;
import dev.sluice.pipeline.FilesSource;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.IcebergCatalogSpec;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.pipeline.IncrementalSpec;
import dev.sluice.pipeline.PaginationSpec;
import dev.sluice.pipeline.ResultSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.pipeline.PlatformBatchesSource;
import dev.sluice.pipeline.PlatformConnectionSpec;
import dev.sluice.pipeline.RequestIdSpec;
import dev.sluice.pipeline.RequestSpec;
import dev.sluice.pipeline.SftpSpec;
import dev.sluice.pipeline.SinkSpec;
import dev.sluice.pipeline.SplitSpec;
import dev.sluice.pipeline.SourceSpec;
import dev.sluice.pipeline.StatusSpec;
import dev.sluice.pipeline.SubmitSpec;
import dev.sluice.pipeline.UnitsSpec;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The three descriptions of a pipeline file agree: the records (their components, defaults and
 * required keys), {@code schema/pipeline.schema.json} (properties, defaults, type enums and
 * per-type required keys) and the key tables of {@code docs/reference/pipeline.md}. Change one
 * without the others and this fails, naming what differs.
 */
class PipelineReferenceAgreementTest {
  private static final ObjectMapper JSON =
      JsonMapper.builder().addModule(new JavaTimeModule()).build();
  private static final Pattern CODE = Pattern.compile("`([^`]*)`");
  private static final JsonNode SCHEMA = readSchema();
  private static final Map<String, List<DocTable>> DOCS = readDocs();

  /** Where in the schema each record is described (a $defs name, or a path from the root). */
  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of("/", PipelineSpec.class),
        Arguments.of("/properties/incremental", IncrementalSpec.class),
        Arguments.of("/$defs/asyncHttpSource", AsyncHttpSource.class),
        Arguments.of("/$defs/submit", SubmitSpec.class),
        Arguments.of("/$defs/requestId", RequestIdSpec.class),
        Arguments.of("/$defs/status", StatusSpec.class),
        Arguments.of("/$defs/extract", ExtractSpec.class),
        Arguments.of("/$defs/cleanup", CleanupSpec.class),
        Arguments.of("/$defs/split", SplitSpec.class),
        Arguments.of("/$defs/concurrency", ConcurrencySpec.class),
        Arguments.of("/$defs/budget", BudgetSpec.class),
        Arguments.of("/$defs/request", RequestSpec.class),
        Arguments.of("/$defs/parquetSink", ParquetSink.class),
        Arguments.of("/$defs/column", ColumnSpec.class),
        Arguments.of("/$defs/platformConnection", PlatformConnectionSpec.class),
        Arguments.of("/$defs/platformBatchesSource", PlatformBatchesSource.class),
        Arguments.of("/$defs/platformBatchSink", PlatformBatchSink.class),
        Arguments.of("/$defs/deferral", DeferralSpec.class),
        Arguments.of("/$defs/units", UnitsSpec.class),
        Arguments.of("/$defs/filesSource", FilesSource.class),
        Arguments.of("/$defs/filesSource/properties/sftp", SftpSpec.class),
        Arguments.of("/$defs/fileListing", FileListingSpec.class),
        Arguments.of("/$defs/fileListing/properties/fields", FileListingSpec.FileFieldsSpec.class),
        Arguments.of("/$defs/filesSink", FilesSink.class),
        Arguments.of("/$defs/icebergSink", IcebergSink.class));
  }

  /** Typed components: one record per {@code type}, each named by its {@code @JsonTypeName}. */
  static Stream<Arguments> families() {
    return Stream.of(
        Arguments.of("/$defs/auth", AuthSpec.class),
        Arguments.of("/$defs/pagination", PaginationSpec.class),
        Arguments.of("/$defs/format", FormatSpec.class),
        Arguments.of("/$defs/result", ResultSpec.class),
        Arguments.of("/$defs/icebergCatalog", IcebergCatalogSpec.class));
  }

  /** Which documented table describes which schema object. */
  static Stream<Arguments> documented() {
    return Stream.of(
        Arguments.of("Top level", "/"),
        Arguments.of("`source` (`type: async-http`)", "/$defs/asyncHttpSource"),
        Arguments.of("`source.auth`", "/$defs/auth"),
        Arguments.of("`source.submit`", "/$defs/submit"),
        Arguments.of("`source.submit.requestId`", "/$defs/requestId"),
        Arguments.of("`source.status`", "/$defs/status"),
        Arguments.of("`source.extract`", "/$defs/extract"),
        Arguments.of("`source.extract.result`", "/$defs/result"),
        Arguments.of("`source.extract.format`", "/$defs/format"),
        Arguments.of("`source.extract.pagination`", "/$defs/pagination"),
        Arguments.of("`source.cleanup`", "/$defs/cleanup"),
        Arguments.of("`source.split`", "/$defs/split"),
        Arguments.of("`source.concurrency`", "/$defs/concurrency"),
        Arguments.of("`source.budget`", "/$defs/budget"),
        Arguments.of("`source` (`type: platform-batches`)", "/$defs/platformBatchesSource"),
        Arguments.of("Platform connection", "/$defs/platformConnection"),
        Arguments.of("`source` (`type: files`)", "/$defs/filesSource"),
        Arguments.of("`incremental`", "/properties/incremental"),
        Arguments.of("`defer`", "/$defs/deferral"),
        Arguments.of("`units`", "/$defs/units"),
        Arguments.of("`sink` (`type: parquet`)", "/$defs/parquetSink"),
        Arguments.of("`sink` (`type: platform-batch`)", "/$defs/platformBatchSink"),
        Arguments.of("`sink.columns[]`", "/$defs/column"),
        Arguments.of("`sink` (`type: files`)", "/$defs/filesSink"),
        Arguments.of("`sink` (`type: iceberg`)", "/$defs/icebergSink"),
        Arguments.of("`sink.catalog`", "/$defs/icebergCatalog"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("records")
  void givenRecord_thenSchemaHasExactlyItsKeysAndDefaults(String where, Class<?> record) {
    JsonNode object = SCHEMA.at(where.equals("/") ? "" : where);
    List<String> keys = Components.keys(record);
    assertThat(componentKeys(object, keys))
        .as("schema %s keys vs %s components", where, record.getSimpleName())
        .isEqualTo(new TreeSet<>(keys));
    assertDefaultsAgree(where, object, record);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("families")
  void givenTypedComponent_thenSchemaHasItsTypesKeysRequiredKeysAndDefaults(
      String where, Class<?> family) {
    JsonNode object = SCHEMA.at(where);
    Map<String, Class<?>> types = Components.types(family);
    assertThat(enumOf(object.path("properties").path("type")))
        .as("%s type enum", where)
        .isEqualTo(new TreeSet<>(types.keySet()));
    Set<String> keys = new TreeSet<>();
    types.values().forEach(record -> keys.addAll(Components.keys(record)));
    assertThat(componentKeys(object, List.copyOf(keys))).as("%s keys", where).isEqualTo(keys);
    types.forEach(
        (type, record) -> {
          assertThat(requiredWhen(object, type))
              .as("%s keys required when type is %s", where, type)
              .isEqualTo(new TreeSet<>(Components.requiredKeys(record)));
          assertDefaultsAgree(where + " (" + type + ")", object, record);
        });
  }

  @Test
  void givenSourceAndSinkTypes_thenSchemaAndTopLevelDocsNameEveryOne() {
    for (String kind : List.of("source", "sink")) {
      Class<?> family = kind.equals("source") ? SourceSpec.class : SinkSpec.class;
      Set<String> types = new TreeSet<>(Components.types(family).keySet());
      assertThat(enumOf(SCHEMA.at("/properties/" + kind + "/properties/type")))
          .as("schema %s.type", kind)
          .isEqualTo(types);
      String row = table("Top level").rows().get(kind).meaning();
      for (String type : types) {
        assertThat(row).as("the top-level %s row names type %s", kind, type).contains(
            "`" + type + "`");
      }
    }
  }

  @Test
  void givenSchemaSizePattern_thenItIsTheSizeParsersGrammar() {
    assertThat(SCHEMA.at("/$defs/size/pattern").asText()).isEqualTo(DataSize.PATTERN);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documented")
  void givenDocumentedTable_thenItListsTheSchemaKeysWithTheirDefaults(String heading, String where) {
    JsonNode object = SCHEMA.at(where.equals("/") ? "" : where);
    DocTable table = table(heading);
    // A dotted row (listing.method) documents a key of a nested object in place.
    Set<String> documented = new TreeSet<>();
    table.rows().keySet().forEach(key -> documented.add(key.split("\\.")[0]));
    assertThat(documented)
        .as("keys documented under %s vs schema %s", heading, where)
        .isEqualTo(properties(object));
    List<String> wrong = new ArrayList<>();
    table
        .rows()
        .forEach(
            (key, row) -> {
              JsonNode property = property(object, key);
              if (property.isMissingNode()) {
                wrong.add(key + ": not in the schema");
                return;
              }
              JsonNode schemaDefault = property.path("default");
              String written = singleCode(row.defaultCell());
              if (written != null && schemaDefault.isValueNode()) {
                String expected = schemaDefault.asText();
                if (!unquote(written).equals(expected)) {
                  wrong.add(key + ": docs say " + written + ", schema " + expected);
                }
              }
            });
    assertThat(wrong).as("rows under %s", heading).isEmpty();
  }

  /** The schema of the (dotted) key {@code path} under {@code object}, following {@code $ref}s. */
  private static JsonNode property(JsonNode object, String path) {
    JsonNode node = object;
    for (String key : path.split("\\.")) {
      // The key's own node keeps its default beside a $ref; only its parents are followed.
      node = resolve(node).path("properties").path(key);
    }
    return node;
  }

  private static JsonNode resolve(JsonNode node) {
    JsonNode ref = node.path("$ref");
    return ref.isTextual() ? SCHEMA.at(ref.asText().substring(1)) : node;
  }

  // ---- schema -----------------------------------------------------------------------------------

  /** Every key the schema gives {@code object}, its discriminator {@code type} included. */
  private static Set<String> properties(JsonNode object) {
    Set<String> keys = new TreeSet<>();
    object.path("properties").fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  /**
   * The schema's keys of {@code object} as record components: without {@code type} when Jackson
   * reads it as the record's type id rather than a component.
   */
  private static Set<String> componentKeys(JsonNode object, List<String> recordKeys) {
    Set<String> keys = properties(object);
    if (!recordKeys.contains("type")) {
      keys.remove("type");
    }
    return keys;
  }

  private static Set<String> enumOf(JsonNode property) {
    Set<String> values = new TreeSet<>();
    property.path("enum").forEach(value -> values.add(value.asText()));
    if (property.has("const")) {
      values.add(property.path("const").asText());
    }
    return values;
  }

  /** The keys an {@code if type is ... then required} of {@code object} requires for {@code type}. */
  private static Set<String> requiredWhen(JsonNode object, String type) {
    Set<String> required = new TreeSet<>();
    for (JsonNode rule : object.path("allOf")) {
      JsonNode condition = rule.path("if").path("properties").path("type");
      if (enumOf(condition).contains(type)) {
        rule.path("then").path("required").forEach(key -> required.add(key.asText()));
      }
    }
    return required;
  }

  /** Each schema default of a key the record has equals the record's own default. */
  private static void assertDefaultsAgree(String where, JsonNode object, Class<?> record) {
    Object defaults = RecordDefaults.of(record);
    List<String> wrong = new ArrayList<>();
    for (RecordComponent component : record.getRecordComponents()) {
      JsonNode schemaDefault = object.path("properties").path(component.getName()).path("default");
      if (schemaDefault.isMissingNode()) {
        continue;
      }
      Object value;
      try {
        value = component.getAccessor().invoke(defaults);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
      if (!agrees(schemaDefault, value)) {
        wrong.add(component.getName() + ": schema " + schemaDefault + ", record " + value);
      }
    }
    assertThat(wrong).as("defaults of %s vs %s", where, record.getSimpleName()).isEmpty();
  }

  private static boolean agrees(JsonNode schemaDefault, Object value) {
    if (value instanceof Duration duration) {
      return Durations.parse(schemaDefault.asText()).equals(duration);
    }
    JsonNode recordValue = JSON.valueToTree(value);
    if (schemaDefault.isObject()) {
      // An object default names only some keys ({type: csv}): each must hold.
      for (var field : schemaDefault.properties()) {
        if (!field.getValue().equals(recordValue.path(field.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (schemaDefault.isNumber() && recordValue.isNumber()) {
      return schemaDefault.decimalValue().compareTo(recordValue.decimalValue()) == 0;
    }
    return schemaDefault.equals(recordValue);
  }

  private static JsonNode readSchema() {
    try {
      return JSON.readTree(Files.readString(Path.of("..", "schema", "pipeline.schema.json")));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- docs -------------------------------------------------------------------------------------

  /** A documented key: its default cell and its meaning cell, as written. */
  record DocRow(String defaultCell, String meaning) {}

  /** A key table under a heading: key to row, in order. */
  record DocTable(Map<String, DocRow> rows) {}

  private static DocTable table(String heading) {
    List<DocTable> tables = DOCS.get(heading);
    assertThat(tables).as("a key table under heading %s", heading).isNotNull().isNotEmpty();
    return tables.get(0);
  }

  /** The key tables ({@code | key | …}) of each heading of the reference page. */
  private static Map<String, List<DocTable>> readDocs() {
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of("..", "docs", "reference", "pipeline.md"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Map<String, List<DocTable>> tables = new LinkedHashMap<>();
    String heading = null;
    boolean fenced = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("```")) {
        fenced = !fenced;
      } else if (!fenced && line.startsWith("#")) {
        heading = line.replaceFirst("^#+\\s*", "").trim();
      } else if (!fenced && heading != null && line.startsWith("| key |")) {
        List<String> header = cells(line);
        int defaultColumn = header.indexOf("default");
        int meaningColumn = header.indexOf("meaning");
        Map<String, DocRow> rows = new LinkedHashMap<>();
        for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
          List<String> row = cells(lines.get(i));
          Matcher key = CODE.matcher(row.get(0));
          if (key.find()) {
            rows.put(
                key.group(1),
                new DocRow(
                    defaultColumn < 0 ? "" : row.get(defaultColumn),
                    meaningColumn < 0 ? String.join(" | ", row) : row.get(meaningColumn)));
          }
        }
        tables.computeIfAbsent(heading, h -> new ArrayList<>()).add(new DocTable(rows));
      }
    }
    return tables;
  }

  private static List<String> cells(String line) {
    String inner = line.trim().replaceAll("^\\|", "").replaceAll("\\|$", "");
    List<String> cells = new ArrayList<>();
    for (String cell : inner.split("(?<!\\\\)\\|", -1)) {
      cells.add(cell.trim());
    }
    return cells;
  }

  /** The value of a cell that is exactly one code span ({@code `60s`}), else null. */
  private static String singleCode(String cell) {
    Matcher code = CODE.matcher(cell);
    return code.matches() ? code.group(1) : null;
  }

  private static String unquote(String text) {
    return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")
        ? text.substring(1, text.length() - 1)
        : text;
  }
}
