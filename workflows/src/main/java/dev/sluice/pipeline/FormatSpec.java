package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The format of extracted pages. Parsing is strict by default: a page that does not hold what the
 * pipeline declared fails the run rather than be published as good data.
 *
 * @param type {@code csv} (default), {@code json} (an array of objects) or {@code ndjson}
 * @param delimiter csv: field delimiter (default {@code ,})
 * @param quote csv: quote character (default {@code "})
 * @param header csv: first line names the columns (default true); a page with no header row (an
 *     empty body) is then malformed
 * @param recordsPath json: JSON pointer of the records array (default: the document itself)
 * @param charset how page bytes are decoded (default {@value #DEFAULT_CHARSET}); bytes that are
 *     not valid in it make the page malformed, never a replacement character
 * @param maxFieldSize the largest value, in characters, a written size such as {@code 32MB}
 *     (default {@value #DEFAULT_MAX_FIELD_SIZE}); a larger one makes the page malformed before it
 *     is held in memory whole
 * @param allowShortRecords csv: a record with fewer fields than the header gets nulls for the
 *     rest (default false: malformed, since that is how a truncated page looks)
 * @param allowMissingColumns csv: a header row may lack columns the sink declares (default false:
 *     malformed, since an error page parsed as CSV has none of them)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FormatSpec(
    String type,
    String delimiter,
    String quote,
    Boolean header,
    String recordsPath,
    String charset,
    String maxFieldSize,
    Boolean allowShortRecords,
    Boolean allowMissingColumns) {

  /** The charset pages are decoded with unless {@code format.charset} says otherwise. */
  public static final String DEFAULT_CHARSET = "UTF-8";

  /** The largest value unless {@code format.maxFieldSize} says otherwise. */
  public static final String DEFAULT_MAX_FIELD_SIZE = "32MB";

  /** CSV with every default. */
  public static final FormatSpec CSV = builder("csv").build();

  public FormatSpec {
    type = type == null ? "csv" : type;
    delimiter = delimiter == null ? "," : delimiter;
    quote = quote == null ? "\"" : quote;
    header = header == null ? Boolean.TRUE : header;
    recordsPath = recordsPath == null ? "" : recordsPath;
    charset = charset == null ? DEFAULT_CHARSET : charset;
    maxFieldSize = maxFieldSize == null ? DEFAULT_MAX_FIELD_SIZE : maxFieldSize;
    allowShortRecords = allowShortRecords == null ? Boolean.FALSE : allowShortRecords;
    allowMissingColumns = allowMissingColumns == null ? Boolean.FALSE : allowMissingColumns;
  }

  /**
   * The layout keys alone; the strictness keys (charset, maxFieldSize, allow…) at their defaults.
   */
  public FormatSpec(
      String type, String delimiter, String quote, Boolean header, String recordsPath) {
    this(type, delimiter, quote, header, recordsPath, null, null, null, null);
  }

  /** A builder of {@code type} with every other key at its default. */
  public static Builder builder(String type) {
    return new Builder().type(type);
  }

  /** A builder starting from this format. */
  public Builder toBuilder() {
    return new Builder()
        .type(type)
        .delimiter(delimiter)
        .quote(quote)
        .header(header)
        .recordsPath(recordsPath)
        .charset(charset)
        .maxFieldSize(maxFieldSize)
        .allowShortRecords(allowShortRecords)
        .allowMissingColumns(allowMissingColumns);
  }

  /** Builds a {@link FormatSpec}; a key left unset (null) gets its documented default. */
  public static final class Builder {
    private String type;
    private String delimiter;
    private String quote;
    private Boolean header;
    private String recordsPath;
    private String charset;
    private String maxFieldSize;
    private Boolean allowShortRecords;
    private Boolean allowMissingColumns;

    private Builder() {}

    /** See {@link FormatSpec#type()}. */
    public Builder type(String value) {
      type = value;
      return this;
    }

    /** See {@link FormatSpec#delimiter()}. */
    public Builder delimiter(String value) {
      delimiter = value;
      return this;
    }

    /** See {@link FormatSpec#quote()}. */
    public Builder quote(String value) {
      quote = value;
      return this;
    }

    /** See {@link FormatSpec#header()}. */
    public Builder header(Boolean value) {
      header = value;
      return this;
    }

    /** See {@link FormatSpec#recordsPath()}. */
    public Builder recordsPath(String value) {
      recordsPath = value;
      return this;
    }

    /** See {@link FormatSpec#charset()}. */
    public Builder charset(String value) {
      charset = value;
      return this;
    }

    /** See {@link FormatSpec#maxFieldSize()}. */
    public Builder maxFieldSize(String value) {
      maxFieldSize = value;
      return this;
    }

    /** See {@link FormatSpec#allowShortRecords()}. */
    public Builder allowShortRecords(Boolean value) {
      allowShortRecords = value;
      return this;
    }

    /** See {@link FormatSpec#allowMissingColumns()}. */
    public Builder allowMissingColumns(Boolean value) {
      allowMissingColumns = value;
      return this;
    }

    /** The format, defaults filled in. */
    public FormatSpec build() {
      return new FormatSpec(
          type,
          delimiter,
          quote,
          header,
          recordsPath,
          charset,
          maxFieldSize,
          allowShortRecords,
          allowMissingColumns);
    }
  }
}
