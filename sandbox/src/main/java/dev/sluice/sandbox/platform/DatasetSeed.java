package dev.sluice.sandbox.platform;

import java.util.List;
import java.util.Objects;

/**
 * A dataset of the emulated Catalog.
 *
 * @param id the Catalog ID (24 hex digits on the real platform; any path-safe text here)
 * @param name display name
 * @param createdMillis creation time, epoch milliseconds
 * @param schemaPath the registry schema under {@code /catalog/xdms/}, such as {@code
 *     context/person}; null for a dataset described only by the deprecated {@code fields}
 * @param legacyFields whether the dataset also shows the deprecated {@code fields} when it has a
 *     schema
 * @param fields the schema's fields: what an uploaded Parquet file may contain
 */
public record DatasetSeed(
    String id,
    String name,
    long createdMillis,
    String schemaPath,
    boolean legacyFields,
    List<Field> fields) {

  public DatasetSeed {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    fields = List.copyOf(fields);
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("a dataset needs at least one field");
    }
    if (!id.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("dataset id must be path-safe, got " + id);
    }
  }

  /** One field of the schema. */
  public record Field(String name, FieldType type) {
    public Field {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }
  }

  /** Whether the dataset links a registry schema (else only {@code fields} describe it). */
  public boolean hasSchema() {
    return schemaPath != null;
  }
}
