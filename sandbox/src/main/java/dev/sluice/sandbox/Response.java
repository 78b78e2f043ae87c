package dev.sluice.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * An HTTP response, written by {@link Router} (which also applies gzip and faults). Its body is
 * either bytes in memory or, for large result pages, a {@link BodyWriter} that generates it while
 * it is sent ({@link #streamed()}).
 *
 * @param body the body in memory; {@code null} when {@code writer} is set
 * @param writer generates the body into the connection; {@code null} for an in-memory body
 */
record Response(
    int status, String contentType, Map<String, String> headers, byte[] body, BodyWriter writer) {

  static final String JSON = "application/json;charset=UTF-8";

  /** Generates a response body into a stream; called once, on the handler thread. */
  @FunctionalInterface
  interface BodyWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  Response {
    headers = Map.copyOf(headers);
    if ((body == null) == (writer == null)) {
      throw new IllegalArgumentException("a response has either a body or a body writer");
    }
  }

  /** A response whose body is in memory. */
  Response(int status, String contentType, Map<String, String> headers, byte[] body) {
    this(status, contentType, headers, body, null);
  }

  static Response json(int status, Object value) {
    return new Response(status, JSON, Map.of(), Json.bytes(value));
  }

  /** The sandbox's own error shape, also the generic API's: {@code {"error":"<message>"}}. */
  static Response error(int status, String message) {
    return json(status, Json.object().put("error", message));
  }

  static Response text(int status, String contentType, String body) {
    return new Response(status, contentType, Map.of(), body.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A response whose body {@code writer} generates while it is sent, with chunked transfer
   * encoding: a page is never held whole in memory. The writer must not fail once it has started
   * (the status line is out by then); an {@link IOException} from the stream is the client's.
   */
  static Response streamed(int status, String contentType, BodyWriter writer) {
    return new Response(status, contentType, Map.of(), null, writer);
  }

  static Response noContent() {
    return new Response(204, null, Map.of(), new byte[0]);
  }

  /** Whether the body is generated while sent; see {@link #writeStreamedBody}. */
  boolean streamed() {
    return writer != null;
  }

  /**
   * The body as bytes. A streamed body is generated into memory first: only for the paths that need
   * its length (a fault that drops the connection halfway).
   */
  @Override
  public byte[] body() {
    if (writer == null) {
      return body;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writer.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Generates a streamed body into {@code out}, gzip-encoded when {@code gzip}. Closes {@code out}
   * when gzip-encoding (the gzip trailer must follow the last byte).
   */
  void writeStreamedBody(OutputStream out, boolean gzip) throws IOException {
    if (!gzip) {
      writer.writeTo(out);
      return;
    }
    // Level 1, as nginx compresses dynamic responses by default: at the JDK's default level 6
    // compressing a million rows costs the sandbox ~3.6 s of CPU (1.3 s at level 1) on the cores
    // the client being measured also needs, for 20% fewer bytes on loopback.
    try (GZIPOutputStream zipped =
        new GZIPOutputStream(out, 64 * 1024) {
          {
            def.setLevel(Deflater.BEST_SPEED);
          }
        }) {
      writer.writeTo(zipped);
    }
  }

  Response withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Response(status, contentType, copy, body, writer);
  }
}
