package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * An HTTP endpoint that lists files as JSON. {@code url}, header values and {@code body} are
 * templates, as in {@link RequestSpec} ({@code ${pipeline}}, {@code ${logicalDate}}, {@code
 * ${windowStart}}, {@code ${windowEnd}}, {@code ${runId}} and secret references).
 *
 * @param method HTTP method (default GET, or POST when a body is given)
 * @param url URL template of the first page
 * @param headers header templates
 * @param body body template, or null
 * @param entries JSON pointer to the array of file entries in each page (default {@code /files};
 *     {@code ""} for a page that is the array)
 * @param fields where each entry keeps what a download needs (JSON pointers relative to the entry)
 * @param checksumAlgorithm {@code md5} (default), {@code sha-1} or {@code sha-256}: what {@code
 *     fields.checksum} holds, in hex or base64
 * @param nextPage JSON pointer to the next page's URL (absolute, or relative to the page), or null
 *     when the listing is one page; a missing, null or empty value ends the listing
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FileListingSpec(
    String method,
    String url,
    Map<String, String> headers,
    String body,
    String entries,
    FileFieldsSpec fields,
    String checksumAlgorithm,
    String nextPage) {

  public FileListingSpec {
    headers = RequestSpec.headers(headers);
    entries = entries == null ? "/files" : entries;
    fields = fields == null ? new FileFieldsSpec(null, null, null, null, null) : fields;
    checksumAlgorithm = checksumAlgorithm == null ? "md5" : checksumAlgorithm;
  }

  /** The request of the first page. */
  @JsonIgnore
  public RequestSpec request() {
    return new RequestSpec(method, url, headers, body);
  }

  /**
   * Where an entry keeps each property of its file; a pointer that finds nothing in an entry means
   * "not given" (only {@code url} is required).
   *
   * @param url the file's URL, absolute or relative to the listing page (default {@code /url})
   * @param name the name (or relative path) it lands under (default {@code /name}; when absent, the
   *     last segment of the URL's path)
   * @param size its size in bytes (default {@code /size}); verified after download when given
   * @param checksum its checksum (default none); verified after download when given
   * @param modified its modification time, an ISO-8601 instant or epoch seconds/milliseconds
   *     (default {@code /modified}); with the size, what decides that a file already landed is the
   *     same
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record FileFieldsSpec(
      String url, String name, String size, String checksum, String modified) {
    public FileFieldsSpec {
      url = url == null ? "/url" : url;
      name = name == null ? "/name" : name;
      size = size == null ? "/size" : size;
      modified = modified == null ? "/modified" : modified;
    }
  }
}
