package dev.sluice.sandbox.platform;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A batch with chosen content and status, for reading a dataset as a source: rows written as
 * Parquet after the dataset's fields, CSV or any other text, or raw bytes (a broken file), in any
 * status. Unlike {@link BatchSeed}, nothing is generated.
 *
 * <pre>{@code
 * platform.seedContentBatch(new ContentBatchSeed("b1", dataset, created, "success",
 *     List.of(FileSeed.parquet("part-0.parquet", List.of(Map.of("eventId", "e1")))), List.of()));
 * }</pre>
 *
 * @param id the batch ID (path-safe)
 * @param datasetId the dataset it belongs to (must be seeded first)
 * @param createdMillis its {@code created} time, epoch milliseconds
 * @param status {@code success} (default): its files are readable at once; {@code failure}, {@code
 *     failed}, {@code aborted}, {@code inactive}: final, nothing readable; anything else ({@code
 *     loading}, {@code processing}, {@code staging}, {@code queued}…): shown as is, untouched by
 *     the processing rules, until {@link PlatformEmulator#settleBatch} moves it on
 * @param files its physical files, in order
 * @param errors what Catalog shows in the batch's {@code errors} (for a failed batch)
 */
public record ContentBatchSeed(
    String id,
    String datasetId,
    long createdMillis,
    String status,
    List<FileSeed> files,
    List<BatchError> errors) {

  public ContentBatchSeed {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(datasetId, "datasetId");
    status = status == null || status.isBlank() ? Batch.SUCCESS : status;
    files = files == null ? List.of() : List.copyOf(files);
    errors = errors == null ? List.of() : List.copyOf(errors);
    if (!id.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("batch id must be path-safe, got " + id);
    }
    Set<String> names = new HashSet<>();
    for (FileSeed file : files) {
      if (!names.add(file.name())) {
        throw new IllegalArgumentException("file name " + file.name() + " appears twice");
      }
    }
  }

  /**
   * One physical file.
   *
   * @param name its name ({@code ?path=} of Data Access); unique in the batch, no {@code /}
   * @param dataSetFile files with the same label are parts of one dataset file (listed together
   *     under one {@code dataSetFileId}); null: a dataset file of its own
   * @param rows Parquet content: rows by field name (see {@link PlatformEmulator#seedContentBatch})
   * @param text text content (CSV, or anything), as UTF-8
   * @param base64 raw content, Base64-encoded
   */
  public record FileSeed(
      String name, String dataSetFile, List<Map<String, Object>> rows, String text, String base64) {

    public FileSeed {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty() || name.contains("/")) {
        throw new IllegalArgumentException("file name must be non-empty without '/', got " + name);
      }
      int kinds = (rows == null ? 0 : 1) + (text == null ? 0 : 1) + (base64 == null ? 0 : 1);
      if (kinds != 1) {
        throw new IllegalArgumentException(
            "file " + name + " needs exactly one of rows, text or base64");
      }
      // Not List.copyOf: a row may hold null values, and the list is still copied.
      rows = rows == null ? null : Collections.unmodifiableList(new ArrayList<>(rows));
    }

    /** A Parquet file of {@code rows}, written after the dataset's fields. */
    public static FileSeed parquet(String name, List<Map<String, Object>> rows) {
      return new FileSeed(name, null, rows, null, null);
    }

    /** A file holding {@code text} as UTF-8. */
    public static FileSeed text(String name, String text) {
      return new FileSeed(name, null, null, text, null);
    }

    /** A file holding {@code bytes}. */
    public static FileSeed bytes(String name, byte[] bytes) {
      return new FileSeed(name, null, null, null, Base64.getEncoder().encodeToString(bytes));
    }

    /** The same file as a part of the dataset file labelled {@code label}. */
    public FileSeed inDatasetFile(String label) {
      return new FileSeed(name, label, rows, text, base64);
    }
  }
}
