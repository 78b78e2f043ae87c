package dev.sluice.sandbox.platform;

import java.util.Objects;

/**
 * A batch that already exists, successful, with Parquet files generated deterministically from its
 * ID and the dataset's fields (the same seed always yields the same bytes).
 *
 * @param id the batch ID
 * @param datasetId the dataset it belongs to (must be seeded first)
 * @param createdMillis its {@code created} (and {@code updated}) time, epoch milliseconds
 * @param files number of files, named {@code part-00000.parquet} onwards
 * @param rowsPerFile rows in each file
 */
public record BatchSeed(
    String id, String datasetId, long createdMillis, int files, int rowsPerFile) {

  public BatchSeed {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(datasetId, "datasetId");
    if (files < 1 || rowsPerFile < 1) {
      throw new IllegalArgumentException("a seeded batch needs at least one file of one row");
    }
    if (!id.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("batch id must be path-safe, got " + id);
    }
  }
}
