package dev.sluice.activities.parquet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The grammar of a declared column type (case-insensitive keywords, blanks allowed between
 * tokens):
 *
 * <pre>
 * type  := string | long | double | boolean | timestamp | date | decimal(P,S)
 *        | struct&lt;field, …&gt; | list&lt;type&gt;
 * field := name: type        name: any text without ':' ',' '&lt;' '&gt;' '`', or `quoted`
 * </pre>
 *
 * <p>Nesting is bounded ({@value #MAX_DEPTH} levels of struct and list): deeper data is a design
 * smell Parquet readers handle badly, and keep it as JSON text instead.
 */
final class ColumnTypeGrammar {
  /** The deepest nesting of struct and list types. */
  static final int MAX_DEPTH = 8;

  private static final Map<String, ColumnType> SCALARS =
      Map.of(
          "string", ColumnType.STRING,
          "long", ColumnType.LONG,
          "double", ColumnType.DOUBLE,
          "boolean", ColumnType.BOOLEAN,
          "timestamp", ColumnType.TIMESTAMP,
          "date", ColumnType.DATE);

  private final String text;
  private int at;

  private ColumnTypeGrammar(String text) {
    this.text = text;
  }

  /**
   * The column {@code name} of type {@code type}.
   *
   * @throws IllegalArgumentException naming what is wrong and where
   */
  static Column parse(String name, String type) {
    ColumnTypeGrammar grammar = new ColumnTypeGrammar(type);
    Column column = grammar.type(name, 0);
    grammar.blanks();
    if (grammar.at < type.length()) {
      throw grammar.error("unexpected '" + type.substring(grammar.at) + "'");
    }
    return column;
  }

  /** A struct field's name as the grammar writes it: quoted when it holds a special character. */
  static String fieldName(String name) {
    boolean plain =
        !name.isBlank()
            && name.equals(name.strip())
            && name.chars().noneMatch(c -> ":,<>`".indexOf(c) >= 0);
    return plain ? name : "`" + name + "`";
  }

  private Column type(String name, int depth) {
    blanks();
    int start = at;
    while (at < text.length() && Character.isLetter(text.charAt(at))) {
      at++;
    }
    String keyword = text.substring(start, at).toLowerCase(Locale.ROOT);
    ColumnType scalar = SCALARS.get(keyword);
    if (scalar != null) {
      return Column.of(name, scalar);
    }
    switch (keyword) {
      case "decimal":
        int close = text.indexOf(')', at);
        String decimal = text.substring(start, close < 0 ? text.length() : close + 1);
        at = start + decimal.length();
        return Column.decimal(name, decimal.trim().toLowerCase(Locale.ROOT));
      case "struct":
      case "list":
        if (depth >= MAX_DEPTH) {
          throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
        expect('<');
        Column nested =
            keyword.equals("list")
                ? Column.list(name, type(Column.ELEMENT, depth + 1))
                : Column.struct(name, fields(depth + 1));
        expect('>');
        return nested;
      default:
        // The message of an unknown type lists the valid ones.
        return Column.decimal(name, depth == 0 ? text.substring(start).trim() : keyword);
    }
  }

  private List<Column> fields(int depth) {
    List<Column> fields = new ArrayList<>();
    Set<String> names = new HashSet<>();
    while (true) {
      String name = fieldNameAt();
      if (!names.add(name)) {
        throw error("struct field '" + name + "' appears twice");
      }
      expect(':');
      fields.add(type(name, depth));
      blanks();
      if (at >= text.length() || text.charAt(at) != ',') {
        return fields;
      }
      at++; // the comma before the next field
    }
  }

  private String fieldNameAt() {
    blanks();
    String name;
    if (at < text.length() && text.charAt(at) == '`') {
      int close = text.indexOf('`', at + 1);
      if (close < 0) {
        throw error("unclosed ` in a field name");
      }
      name = text.substring(at + 1, close);
      at = close + 1;
    } else {
      int start = at;
      while (at < text.length() && ":,<>`".indexOf(text.charAt(at)) < 0) {
        at++;
      }
      name = text.substring(start, at).strip();
    }
    if (name.isEmpty()) {
      throw error("a struct field needs a name (struct<name: type, …>)");
    }
    return name;
  }

  private void expect(char c) {
    blanks();
    if (at >= text.length() || text.charAt(at) != c) {
      throw error("expected '" + c + "'");
    }
    at++;
  }

  private void blanks() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }

  private IllegalArgumentException error(String problem) {
    return new IllegalArgumentException(
        "type '" + text + "': " + problem + " at character " + (at + 1));
  }
}
