package dev.sluice.starter.spec;

import static dev.sluice.starter.spec.CheckContext.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;

/**
 * The rules a JSON Schema cannot express: regular expressions compile, template variables exist
 * where they are used, URLs are HTTP, secrets are references, durations are positive and
 * consistent, sizes fit, declared column types parse, sink paths are usable, keys that mean nothing
 * for the chosen kind or mode are reported, and deferral names declared columns.
 *
 * <p>It runs on the YAML tree, not on mapped records, so it also reports problems of a file that
 * failed schema validation; it skips values of the wrong type, which the schema already reported.
 * The rules of each part live beside it: {@link HttpSourceChecks}, {@link PlatformChecks}, {@link
 * FilesChecks}, {@link TableChecks}, {@link UnitsChecks}; {@link CheckContext} checks values.
 */
public final class SemanticChecks {

  private final CheckContext ctx;

  /** What the checks found. */
  record Result(List<Problem> problems, List<String> secretReferences) {}

  private SemanticChecks(JsonNode root) {
    this.ctx = new CheckContext(root);
  }

  /**
   * Checks a sink written outside a pipeline (a route's, in a routes file) with exactly the rules
   * of a pipeline's sink: its path and scheme, sizes, columns, and a platform connection's secret
   * references.
   *
   * @param sink the sink object, of any shape (values of the wrong type are the schema's to report)
   * @param path its path in its document, e.g. {@code routes[0].sink}
   * @return every problem found, with paths under {@code path}; empty when there is none
   */
  public static List<Problem> checkSink(JsonNode sink, String path) {
    SemanticChecks checks = new SemanticChecks(MissingNode.getInstance());
    checks.sink(sink, path, MissingNode.getInstance());
    return List.copyOf(checks.ctx.problems);
  }

  /** Checks a parsed pipeline document (of any shape). */
  static Result check(JsonNode root) {
    SemanticChecks checks = new SemanticChecks(root);
    checks.pipeline(root);
    return new Result(List.copyOf(checks.ctx.problems), List.copyOf(checks.ctx.secrets));
  }

  private void pipeline(JsonNode root) {
    JsonNode source = root.path("source");
    switch (text(source, "type").orElse("")) {
      case "async-http" -> new HttpSourceChecks(ctx).asyncHttpSource(source, "source");
      case "platform-batches" ->
          new PlatformChecks(ctx).platformBatchesSource(source, "source", root);
      case "files" -> new FilesChecks(ctx).filesSource(source, "source", root);
      default -> {} // no type, or an unknown one: the schema's to report
    }
    JsonNode sink = root.path("sink");
    sink(sink, "sink", root);
    text(root.path("incremental"), "column")
        .filter(column -> !column.isEmpty() && column.isBlank())
        .ifPresent(
            column -> ctx.problems.add(new Problem("incremental.column", "must not be blank")));
    ctx.positiveDuration(root, "", "window");
    new TableChecks(ctx).deferral(root.path("defer"), "defer", sink.path("columns"));
    new UnitsChecks(ctx).units(root);
  }

  private void sink(JsonNode sink, String path, JsonNode root) {
    switch (text(sink, "type").orElse("")) {
      case "parquet" -> new TableChecks(ctx).table(sink, path);
      case "platform-batch" -> new PlatformChecks(ctx).platformBatchSink(sink, path);
      case "files" -> new FilesChecks(ctx).filesSink(sink, path, root);
      case "iceberg" -> new IcebergChecks(ctx).icebergSink(sink, path, root);
      default -> {} // no type, or an unknown one: the schema's to report
    }
  }
}
