package dev.sluice.starter.spec;

import static dev.sluice.starter.spec.CheckContext.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.activities.iceberg.Partitioning;
import dev.sluice.activities.parquet.InvalidSinkException;
import dev.sluice.pipeline.Components;
import dev.sluice.pipeline.IcebergCatalogSpec;
import dev.sluice.pipeline.UnitsSpec;

/**
 * The checks of an {@code iceberg} sink beyond the schema's: the Parquet keys it shares ({@link
 * TableChecks}), the warehouse's scheme, the catalog's secrets (references only), the grammar of
 * each {@code partitionBy} transform, the unit's partition of a work-units pipeline, and where
 * deferred rows live ({@code defer.path} does not apply).
 */
final class IcebergChecks {
  private final CheckContext ctx;

  IcebergChecks(CheckContext ctx) {
    this.ctx = ctx;
  }

  void icebergSink(JsonNode sink, String path, JsonNode root) {
    new TableChecks(ctx).table(sink, path);
    JsonNode catalog = sink.path("catalog");
    String catalogPath = DocPath.key(path, "catalog");
    String type = text(catalog, "type").orElse(IcebergCatalogSpec.DEFAULT.typeName());
    if (!type.equals("rest")) {
      text(catalog, "warehouse")
          .filter(location -> !location.isEmpty())
          .flatMap(SinkPaths::problem)
          .ifPresent(
              message -> ctx.problems.add(new Problem(DocPath.key(catalogPath, "warehouse"), message)));
    }
    Class<?> record = Components.types(IcebergCatalogSpec.class).get(type);
    if (record != null) {
      Components.secretKeys(record).forEach(key -> ctx.secretReference(catalog, catalogPath, key));
    }
    JsonNode partitionBy = sink.path("partitionBy");
    for (int i = 0; i < partitionBy.size(); i++) {
      if (partitionBy.get(i).isTextual()) {
        try {
          Partitioning.parse(partitionBy.get(i).textValue(), i);
        } catch (InvalidSinkException e) {
          String message = e.getMessage();
          ctx.problems.add(
              new Problem(
                  DocPath.index(DocPath.key(path, "partitionBy"), i),
                  message.substring(message.indexOf(": ") + 2)));
        }
      }
    }
    // A files source lands files byte for byte, never rows: FilesChecks refuses any other sink.
    JsonNode units = root.path("units");
    if (units.isObject() && partitionBy.size() > 0) {
      String column =
          text(units, "partition")
              .or(() -> text(units, "variable"))
              .orElseGet(() -> RecordDefaults.of(UnitsSpec.class).variable());
      String identity = "identity(" + column + ")";
      boolean byUnit = false;
      for (JsonNode transform : partitionBy) {
        byUnit |= transform.isTextual() && transform.textValue().replace(" ", "").equals(identity);
      }
      if (!byUnit) {
        ctx.problems.add(
            new Problem(
                DocPath.key(path, "partitionBy"),
                "a work-units pipeline writes every unit into one table partitioned by the unit:"
                    + " partitionBy must include "
                    + identity
                    + " (or be left out, which means ["
                    + identity
                    + "])"));
      }
    }
    // The deferred set is committed with the table's snapshots, so it lives in the table's folder.
    if (root.path("defer").has("path")) {
      ctx.problems.add(
          new Problem(
              "defer.path",
              "an iceberg sink keeps its deferred rows in the table's _sluice/deferred, committed"
                  + " with each run's snapshot; remove defer.path"));
    }
  }
}
