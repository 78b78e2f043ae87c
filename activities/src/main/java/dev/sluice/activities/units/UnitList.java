package dev.sluice.activities.units;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.formats.CsvPageParser;
import dev.sluice.activities.formats.MalformedDataException;
import dev.sluice.activities.parquet.RecordSink;
import dev.sluice.pipeline.UnitsSpec;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses a unit list: a JSON document (the HTTP answer), a CSV file with a header row, or JSON
 * lines. Values keep their first occurrence's order; duplicates are dropped; an empty or missing
 * value is an error naming its position, never silently skipped (it would be a unit never run).
 */
final class UnitList {
  private UnitList() {}

  /** The units of a JSON document: the array at {@code units.pointer}, each element's value. */
  static List<String> fromJson(ObjectMapper mapper, String body, UnitsSpec units, String where) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw malformed("the unit list from " + where + " is not JSON: " + e.getOriginalMessage());
    }
    JsonNode array = root.at(JsonPointer.compile(units.pointer()));
    if (!array.isArray()) {
      throw malformed(
          "the unit list from "
              + where
              + " has no array at units.pointer '"
              + units.pointer()
              + "' (found "
              + (array.isMissingNode()
                  ? "nothing"
                  : array.getNodeType().name().toLowerCase(java.util.Locale.ROOT))
              + ")");
    }
    Set<String> values = new LinkedHashSet<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode element = array.get(i);
      JsonNode value =
          units.field() == null ? element : element.at(JsonPointer.compile(pointer(units.field())));
      if (!value.isValueNode() || value.isNull() || value.asText().isBlank()) {
        throw malformed(
            "unit "
                + i
                + " of the list from "
                + where
                + (units.field() == null
                    ? " is not a non-empty scalar (set units.field to pick one of its fields)"
                    : " has no non-empty value at units.field '" + units.field() + "'"));
      }
      values.add(value.asText());
    }
    return new ArrayList<>(values);
  }

  /** The units of a CSV file with a header row: column {@code units.field}, or the first. */
  static List<String> fromCsv(Reader text, UnitsSpec units, String where) throws IOException {
    Set<String> values = new LinkedHashSet<>();
    int[] column = {-1};
    int[] line = {1};
    RecordSink sink =
        new RecordSink() {
          @Override
          public void columns(List<String> names) {
            column[0] = units.field() == null ? 0 : names.indexOf(units.field());
            if (column[0] < 0) {
              throw malformed(
                  "the unit list "
                      + where
                      + " has no column '"
                      + units.field()
                      + "' (columns: "
                      + names
                      + ")");
            }
          }

          @Override
          public void record(Object[] values0) {
            line[0]++;
            Object value = column[0] < values0.length ? values0[column[0]] : null;
            if (value == null || value.toString().isBlank()) {
              throw malformed(
                  "record " + (line[0] - 1) + " of the unit list " + where + " is empty");
            }
            values.add(value.toString());
          }
        };
    try {
      // A short record is reported below as an empty unit, naming its record.
      CsvPageParser.builder().allowShortRecords(true).build().parse(text, 1, sink);
    } catch (MalformedDataException e) {
      throw malformed("the unit list " + where + " is not CSV: " + e.getMessage());
    }
    return new ArrayList<>(values);
  }

  /** The units of a JSON-lines file: field {@code units.field} of each line. */
  static List<String> fromJsonLines(
      ObjectMapper mapper, BufferedReader lines, UnitsSpec units, String where) throws IOException {
    if (units.field() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "units.field: a JSON-lines unit list needs the field that holds each unit's value",
          FailureType.INVALID_PIPELINE.type());
    }
    JsonPointer field = JsonPointer.compile(pointer(units.field()));
    Set<String> values = new LinkedHashSet<>();
    String text;
    int n = 0;
    while ((text = lines.readLine()) != null) {
      n++;
      if (text.isBlank()) {
        continue;
      }
      JsonNode value;
      try {
        value = mapper.readTree(text).at(field);
      } catch (IOException e) {
        throw malformed("line " + n + " of the unit list " + where + " is not JSON");
      }
      if (!value.isValueNode() || value.isNull() || value.asText().isBlank()) {
        throw malformed(
            "line "
                + n
                + " of the unit list "
                + where
                + " has no value at '"
                + units.field()
                + "'");
      }
      values.add(value.asText());
    }
    return new ArrayList<>(values);
  }

  /** A field name or a pointer: {@code id} and {@code /id} both mean the {@code id} field. */
  private static String pointer(String field) {
    return field.startsWith("/") ? field : "/" + field.replace("~", "~0").replace("/", "~1");
  }

  static ApplicationFailure malformed(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.MALFORMED_DATA.type());
  }
}
