package dev.sluice.activities.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * One page's whole answer, decompressed into a local spool file: only a complete body is ever
 * parsed, so a page that fails half-way leaves nothing behind to discard.
 *
 * @param url the URL the page came from (after redirects)
 * @param headers the response headers
 * @param spool the decompressed body; deleted by {@link #discard()}
 * @param bytes length of the decompressed body
 * @param wireBytes bytes received from the provider
 * @param fingerprint of the decompressed body (loop detection)
 * @param took from sending the request to the last byte
 */
record FetchedPage(
    HttpUrl url,
    Headers headers,
    Path spool,
    long bytes,
    long wireBytes,
    String fingerprint,
    Duration took) {

  /** The body, for the parser. */
  InputStream body() {
    try {
      return Files.newInputStream(spool);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the spooled page " + spool, e);
    }
  }

  /** Deletes the spool file. */
  void discard() {
    try {
      Files.deleteIfExists(spool);
    } catch (IOException e) {
      // A leftover temp file is harmless; the page's rows are what matters.
      spool.toFile().deleteOnExit();
    }
  }
}
