package dev.sluice.starter.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.pipeline.SinkSpec;
import dev.sluice.starter.spec.Durations;
import dev.sluice.starter.spec.PipelineValidationException;
import dev.sluice.starter.spec.PipelineYaml;
import dev.sluice.starter.spec.Problem;
import dev.sluice.starter.spec.SemanticChecks;
import dev.sluice.starter.spec.SinkPaths;
import dev.sluice.starter.spec.YamlDocuments;
import dev.sluice.workflows.batchwindow.Route;
import dev.sluice.workflows.batchwindow.Routes;
import dev.sluice.workflows.batchwindow.WindowAction;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Loads a routes file ({@code examples/windows/routes.yaml}): parse, validate against {@code
 * schema/routes.schema.json}, check what a schema cannot (unique names, regular expressions that
 * compile, a failure action that moves, and each sink exactly as a pipeline's sink is checked), and
 * map to {@link Routes}, with relative table paths and move targets resolved against the file's
 * directory. Every problem is reported, as {@code path: message}, through {@link
 * PipelineValidationException}.
 */
public final class RoutesLoader {
  private final ObjectMapper yaml;
  private final RoutesSchema schema;

  public RoutesLoader() {
    this.yaml = PipelineYaml.newMapper();
    this.schema = new RoutesSchema();
  }

  /**
   * Loads a routes file.
   *
   * @throws IOException when it cannot be read
   * @throws PipelineValidationException with every problem, when it is not a valid routes file (or
   *     not UTF-8)
   */
  public Routes load(Path file) throws IOException, PipelineValidationException {
    return load(
        YamlDocuments.readUtf8(file), file.toString(), file.toAbsolutePath().getParent());
  }

  /**
   * Loads routes from text, resolving relative paths against {@code baseDirectory}.
   *
   * @throws PipelineValidationException with every problem, when it is not a valid routes file
   */
  public Routes load(String text, String origin, Path baseDirectory)
      throws PipelineValidationException {
    JsonNode document = YamlDocuments.parseMapping(yaml, text, origin, "routes:");
    List<Problem> problems = new ArrayList<>(schema.validate(document));
    if (problems.isEmpty()) {
      problems.addAll(semanticProblems(document));
    }
    if (!problems.isEmpty()) {
      throw new PipelineValidationException(origin, problems);
    }
    Routes routes;
    try {
      routes = yaml.treeToValue(withDefaultFormatTypes(document), Routes.class);
    } catch (IOException e) {
      throw new PipelineValidationException(
          origin, List.of(new Problem("", "cannot read the routes: " + e.getMessage())));
    }
    List<Route> resolved = new ArrayList<>();
    for (Route r : routes.routes()) {
      resolved.add(resolve(r, baseDirectory));
    }
    return new Routes(resolved);
  }

  /** The document with {@code type: csv} written into a route format that leaves it out. */
  private static JsonNode withDefaultFormatTypes(JsonNode document) {
    JsonNode copy = document.deepCopy();
    copy.path("routes")
        .forEach(route -> PipelineYaml.defaultType(route.path("format"), FormatSpec.CSV));
    return copy;
  }

  private static List<Problem> semanticProblems(JsonNode document) {
    List<Problem> problems = new ArrayList<>();
    Set<String> names = new HashSet<>();
    JsonNode routes = document.path("routes");
    for (int i = 0; i < routes.size(); i++) {
      JsonNode route = routes.get(i);
      String at = "routes[" + i + "]";
      String name = route.path("name").asText();
      if (!names.add(name)) {
        problems.add(new Problem(at + ".name", "route '" + name + "' is defined twice"));
      }
      // The sink is a pipeline's sink: the same checks (scheme, sizes, secret references).
      problems.addAll(SemanticChecks.checkSink(route.path("sink"), at + ".sink"));
      JsonNode pattern = route.path("when").path("pattern");
      if (pattern.isTextual()) {
        try {
          Pattern.compile(pattern.textValue());
        } catch (PatternSyntaxException e) {
          problems.add(
              new Problem(
                  at + ".when.pattern", "not a valid regular expression: " + e.getDescription()));
        }
      }
      if (route.has("window")) {
        try {
          if (Durations.parse(route.path("window").asText()).isZero()) {
            problems.add(new Problem(at + ".window", "must be longer than zero"));
          }
        } catch (IllegalArgumentException e) {
          problems.add(new Problem(at + ".window", e.getMessage()));
        }
      }
      JsonNode failure = route.path("onFailure");
      if (failure.isObject() && !"move".equals(failure.path("type").asText())) {
        problems.add(
            new Problem(
                at + ".onFailure.type",
                "must be 'move': after a failed load, files are moved out of the way, never"
                    + " deleted or announced"));
      }
      JsonNode actions = route.path("onSuccess");
      int deletes = 0;
      for (int j = 0; j < actions.size(); j++) {
        String type = actions.get(j).path("type").asText();
        if (type.equals("delete") || type.equals("move")) {
          deletes++;
          if (deletes > 1) {
            problems.add(
                new Problem(
                    at + ".onSuccess[" + j + "].type",
                    "the files are already deleted or moved by an earlier action"));
          }
        }
      }
    }
    return problems;
  }

  private static Route resolve(Route r, Path base) {
    SinkSpec sink = r.sink();
    if (sink instanceof ParquetSink parquet) {
      sink = parquet.withPath(resolve(parquet.path(), base));
    } else if (sink instanceof PlatformBatchSink platform) {
      sink = platform.withPath(resolve(platform.path(), base));
    }
    List<WindowAction> onSuccess = r.onSuccess().stream().map(a -> resolve(a, base)).toList();
    WindowAction onFailure = r.onFailure() == null ? null : resolve(r.onFailure(), base);
    return new Route(
        r.name(), r.when(), r.window(), r.format(), sink, onSuccess, onFailure, r.maxFiles());
  }

  private static WindowAction resolve(WindowAction a, Path base) {
    return a.to() == null
        ? a
        : new WindowAction(a.type(), resolve(a.to(), base), a.url(), a.headers());
  }

  /** A URI as written; a path as a {@code file:} URI, relative ones against {@code base}. */
  static String resolve(String location, Path base) {
    return SinkPaths.resolve(location, base);
  }
}
