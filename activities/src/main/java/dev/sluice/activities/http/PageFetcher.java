package dev.sluice.activities.http;

import dev.sluice.activities.formats.Compression;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.zip.ZipException;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one try of one page: sends it with a whole-call deadline, reads the whole body
 * (decompressed) into a {@link PageBuffer} while heartbeating, and classifies what went wrong. The
 * body is parsed only once it is complete, so a page that fails half-way never reaches the writer.
 */
final class PageFetcher {
  private static final Logger log = LoggerFactory.getLogger(PageFetcher.class);

  /** OkHttp's message when a call follows more than 20 redirects. */
  private static final String REDIRECT_LOOP = "Too many follow-up requests";

  private final ProviderHttp http;
  private final Compression compression;
  private final Duration deadline;
  private final Path spoolDirectory;
  private final ResultRefresh refresh;

  /** Memory of pages parsed and released, for the next pages (two are held at once at most). */
  private final PageBuffer.Chunks chunks =
      PageBuffer.Chunks.forPages(2, PageBuffer.DEFAULT_MEMORY_LIMIT);

  /**
   * @param http sends the request (authentication, typed failures); used with {@code deadline}
   * @param compression how the body is decompressed
   * @param deadline whole-call deadline of one try
   * @param spoolDirectory where bodies larger than {@link PageBuffer#DEFAULT_MEMORY_LIMIT} are
   *     spooled; null for the JVM's temp directory
   * @param refresh says which answers mean an expired URL ({@link ResultExpired}), or null
   */
  PageFetcher(
      ProviderHttp http,
      Compression compression,
      Duration deadline,
      Path spoolDirectory,
      ResultRefresh refresh) {
    this.http = http.withCallTimeout(deadline);
    this.compression = compression;
    this.deadline = deadline;
    this.spoolDirectory = spoolDirectory;
    this.refresh = refresh;
  }

  /** An empty body for the tries of one page, spooled where this fetcher spools. */
  PartialBody newBody() {
    return new PartialBody(spoolDirectory, PageBuffer.DEFAULT_MEMORY_LIMIT, chunks);
  }

  /**
   * One try of page {@code page}: all of its body, or the rest of what {@code partial} holds.
   *
   * @param partial the page's body so far, kept across its tries; asked for from where it stopped
   * @param progress called after each chunk of the body (heartbeats)
   * @throws PageFailure when another try may succeed
   * @throws ApplicationFailure when none can: the provider's answer (a 4xx, a 401 after refreshing
   *     credentials) or {@link FailureType#REDIRECT_LOOP}, each naming the page
   * @throws ResultExpired when the answer says the URL expired ({@link ResultRefresh})
   * @throws RuntimeException the reason the attempt was stopped ({@link AttemptGuard})
   */
  FetchedPage fetch(
      Request request, int page, AttemptGuard guard, Runnable progress, PartialBody partial) {
    long started = System.nanoTime();
    Request sent = partial.request(request);
    Response response;
    try {
      response =
          http.execute(
              sent, status -> refresh != null && (status == 400 || status == 403), guard::track);
      if (!response.isSuccessful()) {
        try (Response refused = response) {
          String body = HttpFailures.bodySnippet(refused);
          if (refresh.expired(refused.code(), body)) {
            guard.untrack();
            throw new ResultExpired(
                "page "
                    + page
                    + ": "
                    + HttpFailures.describe(request)
                    + " answered HTTP "
                    + refused.code()
                    + ": "
                    + body);
          }
          throw HttpFailures.forStatus(refused, http.clock());
        }
      }
    } catch (ApplicationFailure failure) {
      guard.untrack();
      // Cancelled by the watchdog: the I/O error is the symptom, not the cause.
      guard.throwIfStopped();
      throw classify(failure, request, page, started);
    }
    try (response) {
      return spool(response, sent, page, guard, progress, started, partial);
    } finally {
      guard.untrack();
    }
  }

  private RuntimeException classify(
      ApplicationFailure failure, Request request, int page, long started) {
    if (!FailureType.HTTP_TRANSIENT.type().equals(failure.getType())) {
      return ApplicationFailure.newBuilder(failure)
          .setMessage("page " + page + ": " + failure.getOriginalMessage())
          .setCause(failure.getCause())
          .build();
    }
    if (!(failure.getCause() instanceof IOException io)) {
      // 5xx, 408, 429: ProviderHttp read the provider's Retry-After into the failure.
      return new PageFailure(
          PageFailure.Kind.TRANSIENT,
          failure.getOriginalMessage(),
          failure.getNextRetryDelay(),
          failure);
    }
    if (io instanceof ProtocolException
        && io.getMessage() != null
        && io.getMessage().startsWith(REDIRECT_LOOP)) {
      return ApplicationFailure.newNonRetryableFailureWithCause(
          "page "
              + page
              + ": "
              + HttpFailures.describe(request)
              + " is redirected in a loop ("
              + io.getMessage()
              + "); the provider's redirects never reach the page",
          FailureType.REDIRECT_LOOP.type(),
          io);
    }
    if (missedDeadline(io, started)) {
      return tooSlow(request, 0, started, io);
    }
    return new PageFailure(PageFailure.Kind.TRANSIENT, failure.getOriginalMessage(), null, io);
  }

  private FetchedPage spool(
      Response response,
      Request request,
      int page,
      AttemptGuard guard,
      Runnable progress,
      long started,
      PartialBody partial) {
    long from = partial.offset();
    try {
      String changed = partial.attach(response, compression);
      if (changed != null) {
        throw new PageFailure(
            PageFailure.Kind.TRANSIENT,
            HttpFailures.describe(request)
                + ": not the rest of the body received so far ("
                + changed
                + "); it is read again from its start",
            null,
            null);
      }
      if (from > 0) {
        log.info(
            "page {}: {} from byte {} ({} bytes fetched again so far)",
            page,
            partial.offset() == from ? "resuming" : "the server ignored the range: reading again",
            from,
            partial.refetched());
      }
      partial.read(progress);
    } catch (IOException e) {
      guard.throwIfStopped();
      throw bodyFailure(e, request, response, partial.receivedThisTry(), started);
    }
    return partial.complete(Duration.ofNanos(System.nanoTime() - started));
  }

  private RuntimeException bodyFailure(
      IOException e, Request request, Response response, long received, long started) {
    if (missedDeadline(e, started)) {
      return tooSlow(request, received, started, e);
    }
    long announced = response.body().contentLength();
    boolean whole = announced >= 0 && received >= announced;
    String what =
        HttpFailures.describe(request)
            + (e instanceof ZipException || whole
                ? ": the body (" + received + " bytes) does not decompress: "
                : ": the body broke off after "
                    + received
                    + (announced >= 0 ? " of " + announced : "")
                    + " bytes: ")
            + e;
    // Short or undecodable bodies may be what the provider always sends; a reset or a stalled
    // read is the network's.
    boolean corrupt =
        e instanceof EOFException || e instanceof ZipException || e instanceof ProtocolException;
    return new PageFailure(
        corrupt ? PageFailure.Kind.CORRUPT_BODY : PageFailure.Kind.TRANSIENT, what, null, e);
  }

  private PageFailure tooSlow(Request request, long received, long started, IOException e) {
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    return new PageFailure(
        PageFailure.Kind.TOO_SLOW,
        HttpFailures.describe(request)
            + " did not arrive within extract.pageTimeout ("
            + HttpFailures.duration(deadline)
            + "): "
            + received
            + " bytes in "
            + HttpFailures.duration(took)
            + " ("
            + rate(received, took)
            + ")",
        null,
        e);
  }

  /** OkHttp's call timeout, as opposed to a read timeout (a SocketTimeoutException). */
  private boolean missedDeadline(IOException e, long started) {
    boolean callTimeout =
        e instanceof InterruptedIOException
            && !(e instanceof SocketTimeoutException)
            && "timeout".equals(e.getMessage());
    return callTimeout || System.nanoTime() - started >= deadline.toNanos();
  }

  private static String rate(long bytes, Duration took) {
    double seconds = Math.max(took.toMillis(), 1) / 1000.0;
    double perSecond = bytes / seconds;
    return perSecond >= 1024
        ? String.format(Locale.ROOT, "%.1f KiB/s", perSecond / 1024)
        : String.format(Locale.ROOT, "%.1f B/s", perSecond);
  }
}
