package dev.sluice.starter.spec;

import static dev.sluice.starter.spec.CheckContext.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.starter.spec.Templates.Scope;
import java.util.List;

/** The checks of a pipeline's {@code units} block. */
final class UnitsChecks {

  private final CheckContext ctx;

  UnitsChecks(CheckContext ctx) {
    this.ctx = ctx;
  }

  /**
   * The {@code units} block: its list source, its variable, and what it cannot be combined with.
   */
  void units(JsonNode root) {
    JsonNode units = root.path("units");
    if (!units.isObject()) {
      return;
    }
    String sourceType = text(root.path("source"), "type").orElse("");
    if (!sourceType.isEmpty() && !sourceType.equals("async-http")) {
      ctx.problems.add(
          new Problem(
              "units",
              "work units need an async-http source (each unit is one submit, poll and extract);"
                  + " this source is "
                  + sourceType));
    }
    String from = text(units, "from").orElse(units.has("uri") ? "file" : "http");
    if (from.equals("http")) {
      if (!units.path("request").isObject()) {
        ctx.problems.add(
            new Problem(
                "units.request",
                "is required when the units are listed over HTTP (or set units.uri to list them"
                    + " from a file)"));
      } else {
        ctx.request(units.path("request"), "units.request", Scope.UNIT_LIST);
      }
      for (String fileKey : List.of("uri", "format")) {
        if (units.has(fileKey)) {
          ctx.problems.add(
              new Problem(
                  DocPath.key("units", fileKey), "only applies to units listed from a file"));
        }
      }
    } else {
      if (!units.has("uri")) {
        ctx.problems.add(
            new Problem("units.uri", "is required when the units are listed from a file"));
      }
      for (String httpKey : List.of("request", "pointer")) {
        if (units.has(httpKey)) {
          ctx.problems.add(
              new Problem(DocPath.key("units", httpKey), "only applies to units listed over HTTP"));
        }
      }
      if (text(units, "format").filter("ndjson"::equals).isPresent() && !units.has("field")) {
        ctx.problems.add(
            new Problem(
                "units.field",
                "is required for a JSON-lines list: the field holding each unit's value"));
      }
    }
    if (Templates.variables().contains(ctx.unitVariable)) {
      ctx.problems.add(
          new Problem(
              units.has("variable") ? "units.variable" : "units",
              "'"
                  + ctx.unitVariable
                  + "' is one of the run's own template variables; name the unit another way"
                  + " (e.g. variable: surveyId)"));
    } else if (sourceType.equals("async-http")
        && !root.path("source").toString().contains("${" + ctx.unitVariable + "}")) {
      ctx.problems.add(
          new Problem(
              units.has("variable") ? "units.variable" : "units",
              "no source request uses ${"
                  + ctx.unitVariable
                  + "}: every unit would ingest the same data (filter the submit or extract"
                  + " request by it)"));
    }
    if (root.path("defer").has("path")) {
      ctx.problems.add(
          new Problem(
              "defer.path",
              "cannot be combined with work units: each unit defers rows beside its own"
                  + " partition; remove defer.path"));
    }
  }

}
