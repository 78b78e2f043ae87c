package dev.sluice.activities.http;

import dev.sluice.activities.formats.Compression;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One page's body as it arrives, kept across the tries of that page: a try after the body broke off
 * (or after its URL expired and was replaced) asks for the rest only, {@code Range: bytes=N-}, and
 * feeds it to the same decoder, so neither the bytes nor the decompression done so far are
 * repeated. That holds for a GZIP body too: the inflater is not restarted, only its input goes on
 * from the next byte. The decoded body goes to a {@link PageBuffer} (memory, or a local spool file
 * for a large page), parsed only once complete, so no row of the page is written before all of it
 * is here, and none twice.
 *
 * <p>A rest is taken only when it is provably the rest of the same object: the first answer said
 * {@code Accept-Ranges: bytes} and came without a {@code Content-Encoding}, and the new one is a
 * 206 whose {@code Content-Range} starts at the next byte, with the same total length, {@code ETag}
 * and {@code Last-Modified} where both answers give them. A server that ignores the range (200) has
 * its body read from the start, over what had arrived; an object that changed (another length or
 * validator, a range elsewhere) fails the try, and the next one reads the page again from its
 * start. Either way nothing of the page had been parsed, so no row is lost or doubled; only bytes
 * are fetched again ({@link #refetched()}).
 */
final class PartialBody implements AutoCloseable {
  private static final Pattern CONTENT_RANGE =
      Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)", Pattern.CASE_INSENSITIVE);

  private final Path spoolDirectory;
  private final long memoryLimit;
  private final PageBuffer.Chunks chunks;
  private PageBuffer body;
  private InputStream decoded;
  private WireSource wire;
  private CRC32 crc32;
  private CRC32C crc32c;
  private long bytes;
  private long wireBytes;
  private long refetched;
  private boolean handedOver;
  private HttpUrl url;
  private Headers headers;
  private String etag;
  private String lastModified;
  private long total = -1;
  private boolean ranges;
  private long tryStart;

  /**
   * @param spoolDirectory where a body larger than {@code memoryLimit} is spooled; null for the
   *     JVM's temp directory
   * @param memoryLimit the most of the body kept in memory ({@link PageBuffer})
   */
  PartialBody(Path spoolDirectory, long memoryLimit) {
    this(spoolDirectory, memoryLimit, new PageBuffer.Chunks(0));
  }

  /** As above, the body's memory taken from (and given back to) {@code chunks}. */
  PartialBody(Path spoolDirectory, long memoryLimit, PageBuffer.Chunks chunks) {
    this.spoolDirectory = spoolDirectory;
    this.memoryLimit = memoryLimit;
    this.chunks = chunks;
  }

  /** Bytes of the body received so far (on the wire, before decompression). */
  long offset() {
    return wire == null ? 0 : wire.count;
  }

  /** Bytes of the body received from the answer of this try. */
  long receivedThisTry() {
    return Math.max(0, offset() - tryStart);
  }

  /** Bytes received more than once: what arrived before a restart from the body's start. */
  long refetched() {
    return refetched;
  }

  /** {@code request}, asking for the rest of the body when part of it arrived and can resume. */
  Request request(Request request) {
    return offset() > 0 && ranges
        ? request.newBuilder().header("Range", "bytes=" + offset() + "-").build()
        : request;
  }

  /**
   * Takes the successful answer to a try: goes on with it when it is the rest of the same body,
   * else starts the body over with it.
   *
   * @return null, or why the answer cannot be used (the object changed): the body is then reset and
   *     the next try asks for all of it
   */
  String attach(Response response, Compression compression) throws IOException {
    if (offset() > 0 && ranges && response.code() == 206) {
      String changed = changed(response);
      if (changed != null) {
        reset();
        return changed;
      }
      wire.source = response.body().byteStream();
      tryStart = wire.count;
      return null;
    }
    reset();
    tryStart = 0;
    url = response.request().url();
    headers = response.headers();
    etag = response.header("ETag");
    lastModified = response.header("Last-Modified");
    total = response.body().contentLength();
    Response network = response.networkResponse();
    ranges =
        "bytes".equalsIgnoreCase(response.header("Accept-Ranges", ""))
            && response.header("Content-Encoding") == null
            && (network == null || network.header("Content-Encoding") == null);
    body = new PageBuffer(spoolDirectory, memoryLimit, chunks);
    crc32 = new CRC32();
    crc32c = new CRC32C();
    wire = new WireSource(response.body().byteStream(), total);
    try {
      decoded =
          compression.decode(
              wire, response.header("Content-Encoding"), response.header("Content-Type"));
    } catch (IOException e) {
      reset(); // broke off or undecodable before the decoder existed: nothing to go on with
      throw e;
    }
    return null;
  }

  /** Why a 206 is not the rest of this body, or null when it is. */
  private String changed(Response response) {
    Matcher range = CONTENT_RANGE.matcher(response.header("Content-Range", ""));
    if (!range.matches() || Long.parseLong(range.group(1)) != offset()) {
      return "asked for bytes "
          + offset()
          + "- and got Content-Range '"
          + response.header("Content-Range", "")
          + "'";
    }
    long length = range.group(3).equals("*") ? -1 : Long.parseLong(range.group(3));
    if (length >= 0 && total >= 0 && length != total) {
      return "the body is now " + length + " bytes long, was " + total;
    }
    String newTag = response.header("ETag");
    if (etag != null && newTag != null && !etag.equals(newTag)) {
      return "its ETag is now " + newTag + ", was " + etag;
    }
    String newDate = response.header("Last-Modified");
    if (lastModified != null && newDate != null && !lastModified.equals(newDate)) {
      return "its Last-Modified is now " + newDate + ", was " + lastModified;
    }
    if (total < 0 && length >= 0) {
      total = length;
      wire.total = length;
    }
    return null;
  }

  /**
   * Reads what this try's answer brings into the page's buffer.
   *
   * @param progress called after each chunk
   * @throws IOException from the wire (the body broke off: the next try resumes) or the decoder
   *     (the body does not decompress: the next try starts over)
   */
  void read(Runnable progress) throws IOException {
    byte[] scratch = null;
    try {
      while (true) {
        // Before each read: OkHttp's read timeout around it then wakes no watchdog thread.
        ReadTimeoutSentinel.INSTANCE.keep();
        if (scratch == null && body.spillsNext()) {
          scratch = new byte[PageBuffer.CHUNK];
        }
        // Read straight into the page's memory; a spool file that fails is the worker's disk, not
        // the provider: thrown unchecked, not a body failure, and not retried in place.
        int n = body.readFrom(decoded, scratch, this::count);
        if (n == -1) {
          break;
        }
        progress.run();
      }
      body.complete();
    } catch (IOException e) {
      if (!wire.broken) {
        // The decoder's own failure: its state is lost, so the next try starts the body over.
        ranges = false;
      } else {
        wire.broken = false;
      }
      throw e;
    }
  }

  /** Counts and checksums bytes of the decoded body, where they lie. */
  private void count(byte[] buffer, int offset, int length) {
    crc32.update(buffer, offset, length);
    crc32c.update(buffer, offset, length);
    bytes += length;
  }

  /** The complete body; its buffer is the page's now. */
  FetchedPage complete(java.time.Duration took) {
    handedOver = true;
    return new FetchedPage(
        url,
        headers,
        body,
        bytes,
        wireBytes + wire.count,
        String.format(Locale.ROOT, "%x-%08x%08x", bytes, crc32.getValue(), crc32c.getValue()),
        took);
  }

  /** Forgets what arrived: the body is dropped and the next try reads it from its start. */
  private void reset() {
    if (wire != null) {
      refetched += wire.count;
      wireBytes += wire.count;
    }
    closeSpool();
    wire = null;
    decoded = null;
    bytes = 0;
    ranges = false;
  }

  @Override
  public void close() {
    if (!handedOver) {
      closeSpool();
    }
  }

  private void closeSpool() {
    if (body != null) {
      body.close();
      body = null;
    }
  }

  /**
   * The bytes of the body from the wire, across the answers of several tries: counts them, marks a
   * failure as the wire's, and treats an end before the announced length as a break (a 206 that
   * brings less than the rest).
   */
  private static final class WireSource extends InputStream {
    private InputStream source;
    private long total;
    private long count;
    private boolean broken;

    WireSource(InputStream source, long total) {
      this.source = Objects.requireNonNull(source);
      this.total = total;
    }

    @Override
    public int available() throws IOException {
      // GZIPInputStream asks, after a member's trailer, whether another member follows.
      return source.available();
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n;
      try {
        n = source.read(buffer, offset, length);
      } catch (IOException e) {
        broken = true;
        throw e;
      }
      if (n > 0) {
        count += n;
      } else if (n == -1 && total >= 0 && count < total) {
        broken = true;
        throw new EOFException("the body ended after " + count + " of " + total + " bytes");
      }
      return n;
    }
  }
}
