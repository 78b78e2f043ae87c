package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import java.util.List;
import java.util.stream.Stream;

/**
 * The format of extracted pages; {@code type} in YAML selects the record (default {@code csv}).
 * Parsing is strict by default: a page that does not hold what the pipeline declared fails the run
 * rather than be published as good data.
 *
 * <p>Every format reads its text the same way: {@link #charset()} (default {@value
 * #DEFAULT_CHARSET}; bytes that are not valid in it make the page malformed, never a replacement
 * character) and {@link #maxFieldSize()} (the largest value, in characters, a written size such as
 * {@code 32MB}, default {@value #DEFAULT_MAX_FIELD_SIZE}; a larger one makes the page malformed
 * before it is held in memory whole).
 *
 * <p>Each type is one record here; {@code PageParsers.forFormat} (activities) runs it. JSON
 * written when this was one flat record (every key of every type, nulls included) still reads:
 * {@code type} picks the record and the keys of other types are ignored.
 */
// No defaultImpl: an unknown type must fail to read, never fall back to csv. The pipeline and
// routes loaders write the default type into a YAML object that leaves it out.
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(FormatSpec.Csv.class),
  @JsonSubTypes.Type(FormatSpec.Json.class),
  @JsonSubTypes.Type(FormatSpec.Ndjson.class)
})
public sealed interface FormatSpec extends TypedComponent {

  /** The charset pages are decoded with unless {@code format.charset} says otherwise. */
  String DEFAULT_CHARSET = "UTF-8";

  /** The largest value unless {@code format.maxFieldSize} says otherwise. */
  String DEFAULT_MAX_FIELD_SIZE = "32MB";

  /** CSV with every default. */
  Csv CSV = new Csv(null, null, null, null, null, null, null);

  /** A JSON array of objects as the whole document, every default. */
  Json JSON = new Json(null, null, null, null, null);

  /** JSON lines, every default. */
  Ndjson NDJSON = new Ndjson(null, null, null);

  /**
   * {@code format.nested} of the JSON formats: nested objects and arrays are kept as JSON text (the
   * default, what every pipeline wrote before nested types existed).
   */
  String NESTED_JSON = "json";

  /**
   * {@code format.nested}: nested objects and arrays become struct and list columns where they are
   * not declared.
   */
  String NESTED_STRUCT = "struct";

  /** How page bytes are decoded. */
  String charset();

  /** The largest value, a written size. */
  String maxFieldSize();

  /**
   * Whether a page is one JSON document, in which pagination can find values (a next URL, a
   * cursor).
   */
  default boolean holdsDocument() {
    return false;
  }

  /**
   * The format of type {@code type} with every default, as a file's extension names it.
   *
   * @throws IllegalArgumentException for a type that is not a format
   */
  static FormatSpec defaults(String type) {
    return Stream.of(CSV, JSON, NDJSON)
        .filter(format -> format.typeName().equals(type))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown format '" + type + "'"));
  }

  /**
   * {@code csv}: delimited text, RFC 4180.
   *
   * @param delimiter field delimiter (default {@code ,})
   * @param quote quote character (default {@code "})
   * @param header first line names the columns (default true); a page with no header row (an
   *     empty body) is then malformed
   * @param charset see {@link FormatSpec#charset()}
   * @param maxFieldSize see {@link FormatSpec#maxFieldSize()}
   * @param allowShortRecords a record with fewer fields than the header gets nulls for the rest
   *     (default false: malformed, since that is how a truncated page looks)
   * @param allowMissingColumns a header row may lack columns the sink declares (default false:
   *     malformed, since an error page parsed as CSV has none of them)
   */
  @JsonTypeName("csv")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Csv(
      String delimiter,
      String quote,
      Boolean header,
      String charset,
      String maxFieldSize,
      Boolean allowShortRecords,
      Boolean allowMissingColumns)
      implements FormatSpec {
    public Csv {
      delimiter = delimiter == null ? "," : delimiter;
      quote = quote == null ? "\"" : quote;
      header = header == null ? Boolean.TRUE : header;
      charset = charsetOrDefault(charset);
      maxFieldSize = maxFieldSizeOrDefault(maxFieldSize);
      allowShortRecords = allowShortRecords == null ? Boolean.FALSE : allowShortRecords;
      allowMissingColumns = allowMissingColumns == null ? Boolean.FALSE : allowMissingColumns;
    }
  }

  /**
   * Whether nested objects and arrays are read as values ({@value #NESTED_STRUCT}), to become
   * struct and list columns, rather than as their JSON text ({@value #NESTED_JSON}). Formats with
   * no nesting (CSV) say {@value #NESTED_JSON}.
   */
  default String nested() {
    return NESTED_JSON;
  }

  /**
   * {@code json}: an array of objects.
   *
   * @param recordsPath JSON pointer of the records array (default {@code ""}: the document itself)
   * @param charset see {@link FormatSpec#charset()}
   * @param maxFieldSize see {@link FormatSpec#maxFieldSize()}
   * @param nested see {@link FormatSpec#nested()} (default {@value #NESTED_JSON})
   * @param arrayColumns the column names of records that are arrays of values, in order
   *     (Snowflake's {@code jsonv2} rows); null: every record is an object
   */
  @JsonTypeName("json")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Json(
      String recordsPath,
      String charset,
      String maxFieldSize,
      String nested,
      List<String> arrayColumns)
      implements FormatSpec {
    public Json {
      recordsPath = recordsPath == null ? "" : recordsPath;
      charset = charsetOrDefault(charset);
      maxFieldSize = maxFieldSizeOrDefault(maxFieldSize);
      nested = nestedOrDefault(nested);
      arrayColumns = arrayColumns == null ? null : List.copyOf(arrayColumns);
    }

    /** The records array at {@code recordsPath}, every other key at its default. */
    public static Json at(String recordsPath) {
      return new Json(recordsPath, null, null, null, null);
    }

    @Override
    public boolean holdsDocument() {
      return true;
    }
  }

  /**
   * {@code ndjson}: one JSON object per line.
   *
   * @param charset see {@link FormatSpec#charset()}
   * @param maxFieldSize see {@link FormatSpec#maxFieldSize()}
   * @param nested see {@link FormatSpec#nested()} (default {@value #NESTED_JSON})
   */
  @JsonTypeName("ndjson")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Ndjson(String charset, String maxFieldSize, String nested) implements FormatSpec {
    public Ndjson {
      charset = charsetOrDefault(charset);
      maxFieldSize = maxFieldSizeOrDefault(maxFieldSize);
      nested = nestedOrDefault(nested);
    }
  }

  private static String charsetOrDefault(String charset) {
    return charset == null ? DEFAULT_CHARSET : charset;
  }

  private static String nestedOrDefault(String nested) {
    return nested == null ? NESTED_JSON : nested;
  }

  private static String maxFieldSizeOrDefault(String maxFieldSize) {
    return maxFieldSize == null ? DEFAULT_MAX_FIELD_SIZE : maxFieldSize;
  }
}
