package dev.sluice.activities.formats;

import com.fasterxml.jackson.core.JsonFactory;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.workflows.activities.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.Set;

/** Chooses the {@link PageParser} of a {@link FormatSpec}. */
public final class PageParsers {
  private PageParsers() {}

  /**
   * A fresh parser for one extraction.
   *
   * @param format the source's format
   * @param factory the worker's JSON factory
   * @param captures JSON pointers whose values the pagination needs from each page body
   * @throws ApplicationFailure non-retryable {@link FailureTypes#INVALID_PIPELINE} for an unknown
   *     format type, a CSV delimiter or quote that is not one character, a bad JSON pointer, or
   *     captures asked of a format that has no document to find them in (CSV, NDJSON)
   */
  public static PageParser forFormat(FormatSpec format, JsonFactory factory, Set<String> captures) {
    return switch (format.type()) {
      case "csv" -> {
        requireNoCaptures(format, captures);
        try {
          yield new CsvPageParser(
              single(format.delimiter(), "delimiter"),
              single(format.quote(), "quote"),
              format.header());
        } catch (IllegalArgumentException e) {
          throw invalid(e.getMessage());
        }
      }
      case "json" -> {
        try {
          yield new JsonPageParser(factory, format.recordsPath(), captures);
        } catch (IllegalArgumentException e) {
          throw invalid("invalid JSON pointer: " + e.getMessage());
        }
      }
      case "ndjson" -> {
        requireNoCaptures(format, captures);
        yield new NdjsonPageParser(factory);
      }
      default ->
          throw invalid("unknown format '" + format.type() + "'; expected csv, json or ndjson");
    };
  }

  private static void requireNoCaptures(FormatSpec format, Set<String> captures) {
    if (!captures.isEmpty()) {
      throw invalid(
          "pagination reads "
              + captures
              + " from the page body, which format '"
              + format.type()
              + "' cannot provide; use json");
    }
  }

  private static char single(String value, String name) {
    if (value.length() != 1) {
      throw invalid("CSV " + name + " must be one character, not '" + value + "'");
    }
    return value.charAt(0);
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.INVALID_PIPELINE);
  }
}
