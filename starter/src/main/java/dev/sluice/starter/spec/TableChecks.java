package dev.sluice.starter.spec;

import static dev.sluice.starter.spec.CheckContext.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.activities.parquet.Column;
import dev.sluice.activities.parquet.InvalidSinkException;
import dev.sluice.pipeline.ColumnSpec;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The checks of a Parquet table (its path, sizes and columns) and of row deferral. */
final class TableChecks {
  private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),\\s*(\\d+)\\)");
  private static final int MAX_DECIMAL_PRECISION = 38;
  private static final Pattern NESTED =
      Pattern.compile("\\s*(struct|list)\\s*<", Pattern.CASE_INSENSITIVE);

  private final CheckContext ctx;

  TableChecks(CheckContext ctx) {
    this.ctx = ctx;
  }

  void deferral(JsonNode defer, String path, JsonNode sinkColumns) {
    if (!defer.isObject()) {
      return;
    }
    ctx.positiveDuration(defer, path, "retention");
    text(defer, "path")
        .filter(location -> !location.isEmpty())
        .flatMap(SinkPaths::problem)
        .ifPresent(message -> ctx.problems.add(new Problem(DocPath.key(path, "path"), message)));
    List<String> declared = new ArrayList<>();
    if (sinkColumns.isArray()) {
      sinkColumns.forEach(column -> text(column, "name").ifPresent(declared::add));
    }
    if (declared.isEmpty()) {
      return; // columns are inferred from the data: nothing to check the names against here
    }
    for (String key : List.of("requiredFields", "key")) {
      JsonNode names = defer.path(key);
      if (!names.isArray()) {
        continue;
      }
      for (int i = 0; i < names.size(); i++) {
        JsonNode name = names.get(i);
        if (name.isTextual()
            && !name.textValue().isEmpty()
            && !declared.contains(name.textValue())) {
          ctx.problems.add(
              new Problem(
                  DocPath.index(DocPath.key(path, key), i),
                  "'"
                      + name.textValue()
                      + "' is not a declared column"
                      + Suggestions.didYouMean(name.textValue(), declared)
                      + ": when sink.columns is given, the columns deferral reads must be"
                      + " declared there"));
        }
      }
    }
  }


  /** The Parquet table's keys, shared by the parquet and platform-batch sinks. */
  void table(JsonNode sink, String path) {
    text(sink, "path")
        .filter(location -> !location.isEmpty())
        .flatMap(SinkPaths::problem)
        .ifPresent(message -> ctx.problems.add(new Problem(DocPath.key(path, "path"), message)));
    ctx.size(sink, path, "targetFileSize");
    JsonNode columns = sink.path("columns");
    if (!columns.isArray()) {
      return;
    }
    Map<String, String> firstDeclared = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      column(columns.get(i), DocPath.index(DocPath.key(path, "columns"), i), firstDeclared);
    }
  }

  private void column(JsonNode column, String path, Map<String, String> firstDeclared) {
    Optional<String> name = text(column, "name");
    if (name.isPresent()) {
      String first = firstDeclared.putIfAbsent(name.get(), path);
      if (first != null) {
        ctx.problems.add(
            new Problem(
                DocPath.key(path, "name"),
                "column '" + name.get() + "' is already declared at " + first));
      }
    }
    Optional<String> type = text(column, "type");
    type.ifPresent(t -> decimal(t, DocPath.key(path, "type")));
    type.filter(t -> NESTED.matcher(t).lookingAt())
        .ifPresent(t -> nested(name.orElse("?"), t, DocPath.key(path, "type")));
    Optional<String> format = text(column, "format");
    if (format.isEmpty()) {
      return;
    }
    String formatPath = DocPath.key(path, "format");
    if (type.isPresent() && !type.get().equals("timestamp") && !type.get().equals("date")) {
      ctx.problems.add(new Problem(formatPath, "applies only to timestamp and date columns"));
      return;
    }
    try {
      DateTimeFormatter.ofPattern(format.get());
    } catch (IllegalArgumentException e) {
      ctx.problems.add(new Problem(formatPath, "not a valid date-time pattern: " + e.getMessage()));
    }
  }

  /** A struct or list type: checked by the grammar the sink itself reads it with. */
  private void nested(String name, String type, String path) {
    try {
      Column.declared(new ColumnSpec(name, type, null));
    } catch (InvalidSinkException e) {
      String prefix = "sink.columns '" + name + "': ";
      String message = e.getMessage();
      ctx.problems.add(
          new Problem(
              path, message.startsWith(prefix) ? message.substring(prefix.length()) : message));
    }
  }

  private void decimal(String type, String path) {
    Matcher decimal = DECIMAL.matcher(type);
    if (!decimal.matches()) {
      return; // any other invalid type is the schema's to report
    }
    int precision = parseSmallInt(decimal.group(1));
    int scale = parseSmallInt(decimal.group(2));
    if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
      ctx.problems.add(
          new Problem(
              path,
              "decimal precision must be between 1 and "
                  + MAX_DECIMAL_PRECISION
                  + " (found "
                  + decimal.group(1)
                  + ")"));
    } else if (scale > precision) {
      ctx.problems.add(
          new Problem(
              path,
              "decimal scale must not exceed its precision ("
                  + decimal.group(2)
                  + " > "
                  + decimal.group(1)
                  + ")"));
    }
  }

  private static int parseSmallInt(String digits) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }
}
