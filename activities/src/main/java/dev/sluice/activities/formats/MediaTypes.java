package dev.sluice.activities.formats;

import java.util.Locale;
import java.util.Set;

/**
 * Which declared media types a page format cannot be. Only types that are certainly something else
 * are refused (an HTML or XML document, JSON where CSV is expected, CSV where JSON is); an absent,
 * generic ({@code application/octet-stream}, {@code text/plain}) or unknown type passes, since
 * providers label data loosely.
 */
final class MediaTypes {
  /** Documents, never data: the error pages of proxies, gateways and login walls. */
  private static final Set<String> DOCUMENTS =
      Set.of("text/html", "application/xhtml+xml", "text/xml", "application/xml");

  private static final Set<String> CSV = Set.of("text/csv", "application/csv");

  private MediaTypes() {}

  /** The page formats, by what they refuse besides {@link #DOCUMENTS}. */
  enum Format {
    /** CSV: a JSON body is an error object, not a table. */
    CSV,
    /** JSON: a CSV body is not a document. */
    JSON,
    /** NDJSON: providers serve it as JSON too, so only CSV is refused. */
    NDJSON
  }

  /**
   * Refuses a media type that {@code format} cannot be.
   *
   * @param page 1-based page number
   * @param where the page's request, safe for messages
   * @param contentType the response's {@code Content-Type}, or null
   * @throws MalformedDataException naming page, request and media type
   */
  static void require(Format format, int page, String where, String contentType) {
    String type = essence(contentType);
    if (type == null) {
      return;
    }
    boolean refused =
        DOCUMENTS.contains(type)
            || type.endsWith("+xml")
            || switch (format) {
              case CSV -> type.equals("application/json") || type.endsWith("+json");
              case JSON, NDJSON -> CSV.contains(type);
            };
    if (refused) {
      throw new MalformedDataException(
          page,
          0,
          where
              + " answered media type "
              + type
              + ", which is not "
              + format.name().toLowerCase(Locale.ROOT)
              + " (an error page served with a success status?); nothing of it was read");
    }
  }

  /** {@code type/subtype} in lower case, without parameters; null when absent or blank. */
  private static String essence(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String type =
        (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
            .trim()
            .toLowerCase(Locale.ROOT);
    return type.isEmpty() ? null : type;
  }
}
