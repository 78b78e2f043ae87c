package dev.sluice.starter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.platform.PlatformCatalogClient;
import dev.sluice.activities.platform.PlatformCatalogClient.Dataset;
import dev.sluice.activities.platform.PlatformCatalogClient.DatasetSchema;
import dev.sluice.activities.platform.PlatformCatalogClient.Preview;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice platform}: browses a data platform (Experience Platform, or the sandbox's emulation
 * of it) the way the guide's connection UI does: its datasets, a dataset's schema, and a preview of
 * a dataset's latest successful batch.
 */
@Command(
    name = "platform",
    description = "Browse a data platform: datasets, a dataset's schema, a preview of its data.",
    mixinStandardHelpOptions = true,
    subcommands = {
      PlatformCommand.Datasets.class,
      PlatformCommand.Schema.class,
      PlatformCommand.PreviewRows.class
    })
public final class PlatformCommand extends CommandGroup {
  /** Widest cell of a table; longer values end in "…" so a row stays on one line. */
  static final int MAX_CELL = 40;

  /** {@code sluice platform datasets}: every dataset, all pages. */
  @Command(
      name = "datasets",
      description = "List every dataset: ID, name, creation time.",
      mixinStandardHelpOptions = true)
  static final class Datasets extends PlatformCall {
    @Override
    int browse(PlatformCatalogClient platform, PrintWriter out) {
      List<List<String>> rows = new ArrayList<>();
      for (Dataset d : platform.datasets()) {
        rows.add(
            List.of(
                d.id(),
                d.name() == null ? "" : d.name(),
                d.created() == 0 ? "-" : Instant.ofEpochMilli(d.created()).toString()));
      }
      table(out, List.of("ID", "NAME", "CREATED"), rows);
      return ExitCodes.OK;
    }
  }

  /** {@code sluice platform schema DATASET}: the dataset's fields as an indented tree. */
  @Command(
      name = "schema",
      description =
          "Show a dataset's schema as a field tree: the registry schema (expanded), else its"
              + " observableSchema, else its deprecated fields.",
      mixinStandardHelpOptions = true)
  static final class Schema extends PlatformCall {
    @Parameters(paramLabel = "DATASET", description = "The dataset's ID.")
    String dataset;

    @Override
    int browse(PlatformCatalogClient platform, PrintWriter out) {
      DatasetSchema schema = platform.schema(dataset);
      out.println(
          "dataset "
              + dataset
              + ", schema from "
              + schema.source()
              + (schema.schema().hasNonNull("title")
                  ? " (" + schema.schema().get("title").asText() + ")"
                  : ""));
      for (String line : fieldTree(schema)) {
        out.println(line);
      }
      return ExitCodes.OK;
    }
  }

  /** {@code sluice platform preview DATASET}: the first rows of its latest successful batch. */
  @Command(
      name = "preview",
      description = "Show the first rows of a dataset's latest successful batch (Data Access API).",
      mixinStandardHelpOptions = true)
  static final class PreviewRows extends PlatformCall {
    @Parameters(paramLabel = "DATASET", description = "The dataset's ID.")
    String dataset;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "20",
        description = "At most this many rows (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    String invalid() {
      return limit < 1 ? "--limit must be at least 1" : null;
    }

    @Override
    int browse(PlatformCatalogClient platform, PrintWriter out) {
      Preview preview = platform.preview(dataset, limit);
      List<List<String>> rows = new ArrayList<>();
      for (Map<String, String> row : preview.rows()) {
        List<String> cells = new ArrayList<>();
        for (String column : preview.columns()) {
          String value = row.get(column);
          cells.add(value == null ? "" : value);
        }
        rows.add(cells);
      }
      table(out, preview.columns(), rows);
      out.println(
          "("
              + preview.rows().size()
              + " row"
              + (preview.rows().size() == 1 ? "" : "s")
              + " of batch "
              + preview.batchId()
              + ", file "
              + preview.file()
              + ")");
      return ExitCodes.OK;
    }
  }

  /**
   * What every subcommand shares: the connection flags, building the client, and turning the
   * client's typed failures into one line and an exit code.
   */
  abstract static class PlatformCall extends CliCommand {
    /** Generous for a CLI: a large preview file still downloads, a dead host fails in seconds. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    @Mixin PlatformOptions platform;

    abstract int browse(PlatformCatalogClient platform, PrintWriter out);

    /** A problem with this subcommand's own flags, or null. */
    String invalid() {
      return null;
    }

    @Override
    public final Integer call() {
      PrintWriter out = out();
      PrintWriter err = err();
      String problem = invalid();
      if (problem != null) {
        err.println("sluice: " + problem);
        return ExitCodes.INVALID_INPUT;
      }
      // Not the worker's client (HttpClients.forWorker): these commands only read, and fetch a
      // token, harmless to repeat, so OkHttp's own retry of a broken pooled connection is
      // welcome; no activity retry stands behind a CLI command.
      OkHttpClient http =
          new OkHttpClient.Builder()
              .connectTimeout(CONNECT_TIMEOUT)
              .readTimeout(READ_TIMEOUT)
              .build();
      try {
        PlatformCatalogClient client =
            new PlatformCatalogClient(
                http,
                new ObjectMapper(),
                SecretResolver.fromSystem(),
                platform.spec(System::getenv));
        int code = browse(client, out);
        out.flush();
        return code;
      } catch (PlatformOptions.InvalidSettingException e) {
        err.println("sluice: " + e.getMessage());
        return ExitCodes.INVALID_INPUT;
      } catch (ApplicationFailure e) {
        err.println("sluice: platform: " + e.getOriginalMessage());
        return exitCode(e.getType());
      } finally {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
      }
    }
  }

  /**
   * A missing or unusable setting (including a secret reference that does not resolve) is bad
   * usage; everything else the platform did (unreachable, sign-in refused, no such dataset, an
   * error answer) is the platform being unavailable for this request.
   */
  static int exitCode(String failureType) {
    return FailureType.INVALID_PIPELINE.type().equals(failureType)
            || FailureType.SECRET_NOT_FOUND.type().equals(failureType)
        ? ExitCodes.INVALID_INPUT
        : ExitCodes.UNAVAILABLE;
  }

  /**
   * A schema as lines of {@code name: type}, nested fields indented two spaces under their parent.
   * Registry and observable schemas are JSON Schema ({@code properties}, {@code items}; the type
   * shown is {@code meta:xdmType} when present); the deprecated {@code fields} is an array of
   * {@code {name, type, subFields}}.
   */
  static List<String> fieldTree(DatasetSchema schema) {
    List<String> lines = new ArrayList<>();
    if (schema.schema().isArray()) {
      legacyFields(schema.schema(), "  ", lines);
    } else {
      properties(schema.schema(), "  ", lines);
    }
    return lines;
  }

  private static void properties(JsonNode node, String indent, List<String> lines) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.path("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode type = field.getValue();
      if ("array".equals(type.path("type").asText()) && type.path("items").isObject()) {
        JsonNode items = type.get("items");
        lines.add(indent + field.getKey() + ": array<" + typeName(items) + ">");
        properties(items, indent + "  ", lines);
      } else {
        lines.add(indent + field.getKey() + ": " + typeName(type));
        properties(type, indent + "  ", lines);
      }
    }
  }

  private static String typeName(JsonNode type) {
    String name = type.path("meta:xdmType").asText("");
    if (name.isEmpty()) {
      name = type.path("type").asText("");
      if (!type.path("format").asText("").isEmpty()) {
        name += " (" + type.get("format").asText() + ")";
      }
    }
    if (name.isEmpty() && type.has("$ref")) {
      name = "ref " + type.get("$ref").asText();
    }
    return name.isEmpty() ? "?" : name;
  }

  private static void legacyFields(JsonNode fields, String indent, List<String> lines) {
    for (JsonNode field : fields) {
      lines.add(indent + field.path("name").asText("?") + ": " + field.path("type").asText("?"));
      if (field.path("subFields").isArray()) {
        legacyFields(field.get("subFields"), indent + "  ", lines);
      }
    }
  }

  /** A plain-text table: a header row, left-aligned columns two spaces apart. */
  static void table(PrintWriter out, List<String> headers, List<List<String>> rows) {
    int[] widths = new int[headers.size()];
    List<List<String>> cells = new ArrayList<>();
    cells.add(headers);
    for (List<String> row : rows) {
      List<String> clipped = new ArrayList<>();
      for (String cell : row) {
        String flat = cell.replace('\n', ' ').replace('\r', ' ');
        clipped.add(flat.length() > MAX_CELL ? flat.substring(0, MAX_CELL - 1) + "…" : flat);
      }
      cells.add(clipped);
    }
    for (List<String> row : cells) {
      for (int i = 0; i < widths.length && i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : cells) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        String cell = i < row.size() ? row.get(i) : "";
        line.append(cell);
        if (i < widths.length - 1) {
          line.append(" ".repeat(widths[i] - cell.length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
