package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The format of extracted pages.
 *
 * @param type {@code csv} (default), {@code json} (an array of objects) or {@code ndjson}
 * @param delimiter csv: field delimiter (default {@code ,})
 * @param quote csv: quote character (default {@code "})
 * @param header csv: first line names the columns (default true)
 * @param recordsPath json: JSON pointer of the records array (default: the document itself)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FormatSpec(
    String type, String delimiter, String quote, Boolean header, String recordsPath) {
  public static final FormatSpec CSV = new FormatSpec("csv", null, null, null, null);

  public FormatSpec {
    type = type == null ? "csv" : type;
    delimiter = delimiter == null ? "," : delimiter;
    quote = quote == null ? "\"" : quote;
    header = header == null ? Boolean.TRUE : header;
    recordsPath = recordsPath == null ? "" : recordsPath;
  }
}
