package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Where the request ID is in a submit response (DIL's derived field).
 *
 * @param from {@code body} (default) or {@code header}
 * @param pointer body: JSON pointer of the field (default {@code /id})
 * @param header header: the header's name
 * @param regex optional regular expression over the field; its first group is the ID (e.g. {@code
 *     /syncs/([0-9]+)$} over {@code /uri})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RequestIdSpec(String from, String pointer, String header, String regex) {
  public RequestIdSpec {
    from = from == null ? "body" : from;
    pointer = pointer == null && "body".equals(from) ? "/id" : pointer;
  }
}
