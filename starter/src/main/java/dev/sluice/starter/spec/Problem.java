package dev.sluice.starter.spec;

import java.util.Objects;

/**
 * One thing wrong with a pipeline file.
 *
 * @param path where: a dotted path into the document with {@code [i]} for list items ({@code
 *     source.status.readyWhen}, {@code sink.columns[2].type}), empty for the document itself, or
 *     {@code <origin>:<line>:<column>} when the YAML does not parse
 * @param message what is wrong, for a human ({@code unknown key 'readyWen' (did you mean
 *     'readyWhen'?)})
 */
public record Problem(String path, String message) {
  public Problem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** {@code path: message}, or just the message for a problem with the whole document. */
  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
