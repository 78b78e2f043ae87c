package dev.sluice.sandbox.platform;

import java.util.List;

/**
 * One entry of a batch's {@code errors}, as Catalog shows it: {@code
 * {"code","description","rows"}}.
 *
 * @param rows the rows the error concerns; empty (or null) for whole-file errors
 */
public record BatchError(String code, String description, List<Long> rows) {

  public BatchError {
    rows = rows == null ? List.of() : List.copyOf(rows);
  }

  /** A whole-file validation error, coded {@code 200} as in the platform's samples. */
  static BatchError validation(String file, String message, String errorType) {
    return new BatchError(
        "200",
        "Error in validating schema for file: '"
            + file
            + "' with errorMessage="
            + message
            + " and errorType="
            + errorType,
        List.of());
  }
}
