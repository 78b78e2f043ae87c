package dev.sluice.activities.formats;

import com.fasterxml.jackson.core.JsonFactory;
import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.LakeTable;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Set;

/** Chooses the {@link PageParser} of a {@link FormatSpec}. */
public final class PageParsers {
  private PageParsers() {}

  /**
   * A fresh parser for one extraction, with no declared columns to require.
   *
   * @see #forFormat(FormatSpec, List, JsonFactory, Set)
   */
  public static PageParser forFormat(FormatSpec format, JsonFactory factory, Set<String> captures) {
    return forFormat(format, List.of(), factory, captures);
  }

  /**
   * A fresh parser for one extraction into {@code sink}, whose declared columns a CSV header row
   * must name.
   *
   * @see #forFormat(FormatSpec, List, JsonFactory, Set)
   */
  public static PageParser forFormat(
      FormatSpec format, LakeTable sink, JsonFactory factory, Set<String> captures) {
    return forFormat(
        format, sink.columns().stream().map(ColumnSpec::name).toList(), factory, captures);
  }

  /**
   * A fresh parser for one extraction.
   *
   * @param format the source's format
   * @param declaredColumns the sink's declared column names: a CSV header row must name each,
   *     unless {@code format.allowMissingColumns}
   * @param factory the worker's JSON factory
   * @param captures JSON pointers whose values the pagination needs from each page body
   * @throws ApplicationFailure non-retryable {@link FailureType#INVALID_PIPELINE} for a CSV
   *     delimiter or quote that is not one character, a bad JSON pointer, an unknown charset, a
   *     {@code maxFieldSize} that is not a size, a {@code nested} that is neither json nor struct,
   *     or captures asked of a format that has no document to find them in (CSV, NDJSON)
   */
  public static PageParser forFormat(
      FormatSpec format, List<String> declaredColumns, JsonFactory factory, Set<String> captures) {
    PageText text;
    try {
      text = PageText.of(format);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
    if (!captures.isEmpty() && !format.holdsDocument()) {
      throw invalid(
          "pagination reads "
              + captures
              + " from the page body, which format '"
              + format.typeName()
              + "' cannot provide; use json");
    }
    // Java 17 has no pattern switch: one branch per record of the sealed FormatSpec.
    if (format instanceof FormatSpec.Csv csv) {
      return csv(csv, declaredColumns, text);
    } else if (format instanceof FormatSpec.Json json) {
      try {
        return new JsonPageParser(
                factory, json.recordsPath(), captures, text, nestedValues(json))
            .withArrayColumns(json.arrayColumns());
      } catch (IllegalArgumentException e) {
        throw invalid("invalid JSON pointer: " + e.getMessage());
      }
    } else if (format instanceof FormatSpec.Ndjson ndjson) {
      return new NdjsonPageParser(factory, text, nestedValues(ndjson));
    }
    throw new IllegalStateException("no parser for format type " + format.typeName());
  }

  private static boolean nestedValues(FormatSpec format) {
    return switch (format.nested()) {
      case FormatSpec.NESTED_JSON -> false;
      case FormatSpec.NESTED_STRUCT -> true;
      default ->
          throw invalid(
              "format.nested must be json or struct, not '" + format.nested() + "'");
    };
  }

  private static PageParser csv(FormatSpec.Csv csv, List<String> declaredColumns, PageText text) {
    try {
      return CsvPageParser.builder()
          .delimiter(single(csv.delimiter(), "delimiter"))
          .quote(single(csv.quote(), "quote"))
          .header(csv.header())
          .text(text)
          .declaredColumns(declaredColumns)
          .allowMissingColumns(csv.allowMissingColumns())
          .allowShortRecords(csv.allowShortRecords())
          .build();
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  private static char single(String value, String name) {
    if (value.length() != 1) {
      throw invalid("CSV " + name + " must be one character, not '" + value + "'");
    }
    return value.charAt(0);
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_PIPELINE.type());
  }
}
