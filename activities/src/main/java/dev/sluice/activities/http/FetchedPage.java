package dev.sluice.activities.http;

import java.io.InputStream;
import java.time.Duration;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * One page's whole answer, decompressed into a {@link PageBuffer} (memory, or a local spool file
 * for a large page): only a complete body is ever parsed, so a page that fails half-way leaves
 * nothing behind to discard.
 *
 * @param url the URL the page came from (after redirects)
 * @param headers the response headers
 * @param body the decompressed body; released by {@link #discard()}
 * @param bytes length of the decompressed body
 * @param wireBytes bytes received from the provider
 * @param fingerprint of the decompressed body (loop detection)
 * @param took from sending the request to the last byte
 */
record FetchedPage(
    HttpUrl url,
    Headers headers,
    PageBuffer body,
    long bytes,
    long wireBytes,
    String fingerprint,
    Duration took) {

  /**
   * The body from its start, for the parser.
   *
   * @throws java.io.UncheckedIOException when its spool file cannot be opened
   */
  InputStream open() {
    return body.open();
  }

  /** Releases the body: its memory, or its spool file. */
  void discard() {
    body.close();
  }
}
