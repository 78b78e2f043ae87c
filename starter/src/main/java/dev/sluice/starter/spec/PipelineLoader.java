package dev.sluice.starter.spec;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.AuthSpec;
import dev.sluice.pipeline.DeferralSpec;
import dev.sluice.pipeline.FilesSink;
import dev.sluice.pipeline.IcebergCatalogSpec;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.pipeline.FilesSource;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.PaginationSpec;
import dev.sluice.pipeline.ResultSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.pipeline.RequestIdSpec;
import dev.sluice.pipeline.SinkSpec;
import dev.sluice.pipeline.SourceSpec;
import dev.sluice.pipeline.SubmitSpec;
import dev.sluice.pipeline.UnitsSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads pipeline YAML files: parse, validate against {@code schema/pipeline.schema.json}, apply the
 * checks a schema cannot express, and map to {@link PipelineSpec}.
 *
 * <p>Every problem is collected before failing, so one run of {@code sluice validate} lists all of
 * them. Instances are immutable and thread-safe; build one and reuse it (compiling the schema is
 * the expensive part).
 */
public final class PipelineLoader {
  /** The top-level keys every pipeline has, named when a document's root is not a mapping. */
  private static final String ROOT_KEYS = "name:, source:, sink:";

  private final ObjectMapper yaml;
  private final SchemaCheck schema;

  /** A loader for the pipeline schema shipped in this jar. */
  public PipelineLoader() {
    this.yaml = PipelineYaml.newMapper();
    this.schema = SchemaCheck.load(JsonMapper.builder().build());
  }

  /**
   * Loads a pipeline file. A relative sink path (and {@code defer.path}) is resolved against the
   * file's directory.
   *
   * @param file the pipeline YAML; also its name in messages, as given
   * @return the validated pipeline with defaults applied
   * @throws IOException when the file cannot be read
   * @throws PipelineValidationException with every problem found, when the file is not a valid
   *     pipeline (or not UTF-8)
   */
  public LoadedPipeline load(Path file) throws IOException, PipelineValidationException {
    String text = YamlDocuments.readUtf8(file);
    Path directory = file.toAbsolutePath().getParent();
    return load(text, file.toString(), directory);
  }

  /**
   * Loads a pipeline from text. A relative sink path is resolved against the current working
   * directory.
   *
   * @param yamlText the pipeline YAML
   * @param origin where the text came from, used in messages (e.g. {@code <stdin>})
   * @return the validated pipeline with defaults applied
   * @throws PipelineValidationException with every problem found, when the text is not a valid
   *     pipeline
   */
  public LoadedPipeline load(String yamlText, String origin) throws PipelineValidationException {
    return load(yamlText, origin, Path.of("").toAbsolutePath());
  }

  /**
   * Loads a pipeline from text, resolving a relative sink path against {@code baseDirectory}.
   *
   * @param yamlText the pipeline YAML
   * @param origin where the text came from, used in messages
   * @param baseDirectory what a relative sink path is relative to
   * @return the validated pipeline with defaults applied
   * @throws PipelineValidationException with every problem found, when the text is not a valid
   *     pipeline
   */
  public LoadedPipeline load(String yamlText, String origin, Path baseDirectory)
      throws PipelineValidationException {
    JsonNode document = YamlDocuments.parseMapping(yaml, yamlText, origin, ROOT_KEYS);

    List<Problem> problems = new ArrayList<>(schema.validate(document));
    SemanticChecks.Result semantic = SemanticChecks.check(document);
    problems.addAll(semantic.problems());
    if (!problems.isEmpty()) {
      throw new PipelineValidationException(origin, inDocumentOrder(problems, document));
    }

    PipelineSpec spec;
    try {
      spec = yaml.treeToValue(withDefaultTypes(document), PipelineSpec.class);
    } catch (JsonMappingException e) {
      // The schema should have caught anything that does not map; report it all the same.
      throw new PipelineValidationException(
          origin, List.of(new Problem(mappingPath(e), e.getOriginalMessage())));
    } catch (IOException e) {
      throw new IllegalStateException("cannot map a validated tree", e);
    }
    return new LoadedPipeline(
        withDefaults(spec, baseDirectory), origin, semantic.secretReferences());
  }

  /**
   * The document with the {@code type} a component may leave out written in: the typed records
   * need it to be chosen, and their default type is the one of their default constant ({@code
   * NONE}, {@code CSV}).
   */
  private static JsonNode withDefaultTypes(JsonNode document) {
    JsonNode copy = document.deepCopy();
    JsonNode source = copy.path("source");
    PipelineYaml.defaultType(source.path("auth"), AuthSpec.NONE);
    PipelineYaml.defaultType(source.path("extract").path("pagination"), PaginationSpec.NONE);
    PipelineYaml.defaultType(source.path("extract").path("format"), FormatSpec.CSV);
    PipelineYaml.defaultType(source.path("extract").path("result"), ResultSpec.TEMPLATE);
    if ("iceberg".equals(copy.path("sink").path("type").asText())) {
      PipelineYaml.defaultType(copy.path("sink").path("catalog"), IcebergCatalogSpec.DEFAULT);
    }
    return copy;
  }

  /**
   * Defaults the records cannot apply themselves, and the table paths (the sink's, the deferred
   * table's) made absolute.
   */
  private static PipelineSpec withDefaults(PipelineSpec spec, Path baseDirectory) {
    SourceSpec source = spec.source();
    if (source instanceof AsyncHttpSource http && http.submit().requestId() == null) {
      SubmitSpec submit = http.submit();
      source =
          http.withSubmit(
              new SubmitSpec(
                  submit.method(),
                  submit.url(),
                  submit.headers(),
                  submit.body(),
                  new RequestIdSpec(null, null, null, null)));
    }
    if (source instanceof FilesSource files && files.prefix() != null) {
      source = files.withPrefix(SinkPaths.resolve(files.prefix(), baseDirectory));
    }
    SinkSpec sink = spec.sink();
    if (sink instanceof FilesSink landing) {
      sink = landing.withPath(SinkPaths.resolve(landing.path(), baseDirectory));
    } else if (sink instanceof ParquetSink parquet) {
      sink = parquet.withPath(SinkPaths.resolve(parquet.path(), baseDirectory));
    } else if (sink instanceof PlatformBatchSink platform) {
      sink = platform.withPath(SinkPaths.resolve(platform.path(), baseDirectory));
    } else if (sink instanceof IcebergSink iceberg
        && iceberg.catalog() != null
        && iceberg.catalog().warehouse() != null) {
      // A REST catalog's warehouse is the server's name for it; the others are paths.
      IcebergCatalogSpec catalog = iceberg.catalog();
      if (!(catalog instanceof IcebergCatalogSpec.Rest)) {
        sink =
            iceberg.withCatalog(
                catalog.withWarehouse(SinkPaths.resolve(catalog.warehouse(), baseDirectory)));
      }
    }
    DeferralSpec defer = spec.defer();
    if (defer != null && defer.path() != null) {
      defer = defer.withPath(SinkPaths.resolve(defer.path(), baseDirectory));
    }
    UnitsSpec units = spec.units();
    if (units != null && units.uri() != null) {
      units = units.withUri(SinkPaths.resolve(units.uri(), baseDirectory));
    }
    return PipelineSpec.newBuilder(spec.name(), source, sink)
        .setDescription(spec.description())
        .setIncremental(spec.incremental())
        .setWindow(spec.window())
        .setDefer(defer)
        .setUnits(units)
        .build();
  }

  /** Sorts problems by where their path first appears in the document (stable otherwise). */
  private static List<Problem> inDocumentOrder(List<Problem> problems, JsonNode document) {
    Map<String, Integer> order = new HashMap<>();
    number(document, "", order);
    List<Problem> sorted = new ArrayList<>(problems);
    sorted.sort(Comparator.comparingInt(problem -> position(problem.path(), order)));
    return sorted;
  }

  private static void number(JsonNode node, String path, Map<String, Integer> order) {
    order.putIfAbsent(path, order.size());
    if (node.isObject()) {
      node.properties()
          .forEach(field -> number(field.getValue(), DocPath.key(path, field.getKey()), order));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        number(node.get(i), DocPath.index(path, i), order);
      }
    }
  }

  /** The position of {@code path}, or of its closest ancestor present in the document. */
  private static int position(String path, Map<String, Integer> order) {
    String candidate = path;
    while (!candidate.isEmpty()) {
      Integer position = order.get(candidate);
      if (position != null) {
        return position;
      }
      int cut = Math.max(candidate.lastIndexOf('.'), candidate.lastIndexOf('['));
      candidate = cut < 0 ? "" : candidate.substring(0, cut);
    }
    return 0;
  }

  private static String mappingPath(JsonMappingException e) {
    String path = "";
    for (JsonMappingException.Reference reference : e.getPath()) {
      path =
          reference.getFieldName() != null
              ? DocPath.key(path, reference.getFieldName())
              : DocPath.index(path, reference.getIndex());
    }
    return path;
  }
}
