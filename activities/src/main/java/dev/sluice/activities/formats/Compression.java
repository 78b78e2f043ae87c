package dev.sluice.activities.formats;

import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * How an extracted page body is compressed ({@code ExtractSpec.compression}).
 *
 * <p>OkHttp already gunzips transparently when it added {@code Accept-Encoding} itself, and then
 * removes the {@code Content-Encoding} header; so a {@code Content-Encoding: gzip} still present
 * means the body is still compressed, and decoding here never decodes twice.
 */
public enum Compression {
  /** The body is used as it arrives. */
  NONE,
  /** The body is always gunzipped (a {@code .csv.gz} served as a file). */
  GZIP,
  /**
   * The body is gunzipped when {@code Content-Encoding} is gzip, {@code Content-Type} is {@code
   * application/gzip} / {@code application/x-gzip}, or it starts with the gzip magic bytes.
   */
  AUTO;

  private static final int GZIP_MAGIC_1 = 0x1f;
  private static final int GZIP_MAGIC_2 = 0x8b;
  private static final int GZIP_BUFFER = 1 << 16;

  /**
   * The compression named in a pipeline: {@code none}, {@code gzip} or {@code auto}.
   *
   * @throws ApplicationFailure non-retryable {@link FailureType#INVALID_PIPELINE} for another name
   */
  public static Compression of(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "none" -> NONE;
      case "gzip" -> GZIP;
      case "auto" -> AUTO;
      default ->
          throw ApplicationFailure.newNonRetryableFailure(
              "unknown compression '" + name + "'; expected none, gzip or auto",
              FailureType.INVALID_PIPELINE.type());
    };
  }

  /**
   * The decompressed body.
   *
   * @param body the body as OkHttp delivers it
   * @param contentEncoding the response's {@code Content-Encoding}, or null
   * @param contentType the response's {@code Content-Type}, or null
   * @throws IOException when the body cannot be read or is not valid gzip
   */
  public InputStream decode(InputStream body, String contentEncoding, String contentType)
      throws IOException {
    return switch (this) {
      case NONE -> body;
      case GZIP -> new GZIPInputStream(body, GZIP_BUFFER);
      case AUTO ->
          declaresGzip(contentEncoding, contentType)
              ? new GZIPInputStream(body, GZIP_BUFFER)
              : gunzipIfMagic(body);
    };
  }

  private static boolean declaresGzip(String contentEncoding, String contentType) {
    if (contentEncoding != null && contentEncoding.trim().equalsIgnoreCase("gzip")) {
      return true;
    }
    if (contentType == null) {
      return false;
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    return type.startsWith("application/gzip") || type.startsWith("application/x-gzip");
  }

  private static InputStream gunzipIfMagic(InputStream body) throws IOException {
    PushbackInputStream in = new PushbackInputStream(body, 2);
    int first = in.read();
    if (first == -1) {
      return in;
    }
    int second = in.read();
    if (second != -1) {
      in.unread(second);
    }
    in.unread(first);
    return first == GZIP_MAGIC_1 && second == GZIP_MAGIC_2
        ? new GZIPInputStream(in, GZIP_BUFFER)
        : in;
  }
}
