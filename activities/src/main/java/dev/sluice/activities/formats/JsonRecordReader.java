package dev.sluice.activities.formats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.sluice.activities.parquet.RecordSink;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns JSON objects into sink records. Keys become columns in order of first appearance across all
 * pages; a record introducing a key announces the grown column list before it is handed over.
 * Values: strings as {@code String}, integers as {@code Long} ({@code BigDecimal} beyond its
 * range), other numbers as {@code Double} (faster than {@code BigDecimal}, and exact enough for
 * what providers emit as JSON numbers), booleans, null, and nested objects/arrays as JSON text.
 */
final class JsonRecordReader {
  private final JsonFactory factory;
  private final Map<String, Integer> indexes = new HashMap<>();
  private final List<String> columns = new ArrayList<>();

  JsonRecordReader(JsonFactory factory) {
    this.factory = factory;
  }

  /** Reads the object whose {@code START_OBJECT} is the parser's current token into the sink. */
  void read(JsonParser parser, RecordSink sink) throws IOException {
    Object[] row = new Object[columns.size()];
    for (String key = parser.nextFieldName(); key != null; key = parser.nextFieldName()) {
      Integer index = indexes.get(key);
      if (index == null) {
        index = columns.size();
        indexes.put(key, index);
        columns.add(key);
        sink.columns(List.copyOf(columns));
        row = Arrays.copyOf(row, columns.size());
      }
      parser.nextToken();
      row[index] = value(parser);
    }
    sink.record(row);
  }

  private Object value(JsonParser parser) throws IOException {
    return switch (parser.currentToken()) {
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT ->
          parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
              ? new BigDecimal(parser.getBigIntegerValue())
              : (Object) parser.getLongValue();
      case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      case START_OBJECT, START_ARRAY -> jsonText(parser);
      default -> throw new IllegalStateException("not a value: " + parser.currentToken());
    };
  }

  private String jsonText(JsonParser parser) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator generator = factory.createGenerator(text)) {
      generator.copyCurrentStructure(parser);
    }
    return text.toString();
  }
}
