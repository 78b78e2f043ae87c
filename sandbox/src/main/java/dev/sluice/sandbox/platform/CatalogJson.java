package dev.sluice.sandbox.platform;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Catalog's JSON for datasets, batches and registry schemas, shaped after the platform's samples.
 */
final class CatalogJson {

  private static final String XDM_NS = "https://ns.adobe.com/xdm/";

  private CatalogJson() {}

  static ObjectNode dataset(DatasetSeed dataset, String imsOrg) {
    ObjectNode json =
        Reply.object()
            .put("version", "1.0.0")
            .put("imsOrg", imsOrg)
            .put("name", dataset.name())
            .put("created", dataset.createdMillis())
            .put("updated", dataset.createdMillis())
            .put("status", "enabled")
            .put("aspect", "production");
    json.putObject("dule");
    json.putObject("fileDescription").put("persisted", true).put("format", "parquet");
    String view = viewId(dataset);
    json.put("viewId", view)
        .put("files", "@/dataSets/" + dataset.id() + "/views/" + view + "/files");
    if (dataset.hasSchema()) {
      json.put("schema", "@/xdms/" + dataset.schemaPath());
      json.putObject("schemaRef")
          .put("id", XDM_NS + dataset.schemaPath())
          .put("contentType", "application/vnd.adobe.xed+json;version=1");
      ObjectNode observable =
          json.putObject("observableSchema").put("type", "object").put("meta:xdmType", "object");
      ObjectNode properties = observable.putObject("properties");
      dataset
          .fields()
          .forEach(
              f ->
                  properties
                      .putObject(f.name())
                      .put("type", f.type().jsonType())
                      .put("meta:xdmType", f.type().xdmType()));
    }
    if (!dataset.hasSchema() || dataset.legacyFields()) {
      ArrayNode fields = json.putArray("fields");
      dataset
          .fields()
          .forEach(f -> fields.addObject().put("name", f.name()).put("type", f.type().xdmType()));
    }
    return json;
  }

  static String viewId(DatasetSeed dataset) {
    return dataset.id() + "-view";
  }

  /**
   * The registry schema of {@code dataset}. Unexpanded, its fields sit in a referenced field group
   * ({@code allOf}/{@code $ref}); with {@code expansion=xdm} they are inlined as {@code
   * properties}.
   */
  static ObjectNode schema(DatasetSeed dataset, boolean expand) {
    String id = XDM_NS + dataset.schemaPath();
    String title = title(dataset.schemaPath());
    ObjectNode json =
        Reply.object()
            .put("$id", id)
            .put("title", title)
            .put("type", "object")
            .put("description", "The " + title + " schema of the Sluice sandbox.");
    if (!expand) {
      json.putArray("allOf").addObject().put("$ref", id + "-fields");
      return json;
    }
    ObjectNode properties = json.putObject("properties");
    for (DatasetSeed.Field field : dataset.fields()) {
      ObjectNode property =
          properties
              .putObject(field.name())
              .put("title", field.name())
              .put("type", field.type().jsonType());
      if (field.type() == FieldType.DATE_TIME) {
        property.put("format", "date-time");
      }
      property
          .put("meta:xdmType", field.type().xdmType())
          .put("meta:xdmField", "xdm:" + field.name());
    }
    return json;
  }

  static ObjectNode batch(Batch batch, String imsOrg, String clientId) {
    ObjectNode json =
        Reply.object()
            .put("id", batch.id)
            .put("imsOrg", imsOrg)
            .put("created", batch.created)
            .put("createdClient", clientId)
            .put("createdUser", clientId + "@AdobeID")
            .put("updatedUser", clientId + "@AdobeID")
            .put("updated", batch.updated())
            .put("status", batch.status())
            .put("version", "1.0.1");
    ArrayNode errors = json.putArray("errors");
    for (BatchError error : batch.errors()) {
      ArrayNode rows =
          errors
              .addObject()
              .put("code", error.code())
              .put("description", error.description())
              .putArray("rows");
      error.rows().forEach(rows::add);
    }
    json.putObject("availableDates");
    json.putArray("relatedObjects").addObject().put("type", "dataSet").put("id", batch.datasetId);
    json.putObject("inputFormat").put("format", "parquet");
    if (!batch.predecessors.isEmpty()) {
      ObjectNode replay = json.putObject("replay").put("reason", "replace");
      batch.predecessors.forEach(replay.putArray("predecessors")::add);
    }
    if (!batch.tags().isEmpty()) {
      ObjectNode tags = json.putObject("tags");
      batch.tags().forEach((name, values) -> values.forEach(tags.putArray(name)::add));
    }
    if (batch.replacedBy() != null) {
      json.put("replacedBy", batch.replacedBy());
    }
    if (batch.isFinal() && !batch.status().equals(Batch.ABORTED)) {
      json.putObject("metrics")
          .put("recordCount", batch.recordCount())
          .put("inputFileCount", batch.staged().size());
    }
    return json;
  }

  private static String title(String schemaPath) {
    String last = schemaPath.substring(schemaPath.lastIndexOf('/') + 1);
    return last.isEmpty() ? schemaPath : Character.toUpperCase(last.charAt(0)) + last.substring(1);
  }
}
