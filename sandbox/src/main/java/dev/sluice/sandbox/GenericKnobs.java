package dev.sluice.sandbox;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Run-time settings of the generic export API, read on every poll and page. */
final class GenericKnobs {

  /** What a misbehaving provider answers with 200 instead of a data page. */
  enum BadPage {
    /** An HTML error page ({@code text/html}), as a proxy or gateway sends it. */
    HTML,
    /** No body at all, labelled as the export's format. */
    EMPTY,
    /** A CSV page whose second record holds bytes that are not UTF-8. */
    INVALID_UTF8,
    /** A CSV page whose second record has fewer fields than the header. */
    SHORT_RECORD,
    /** A CSV page whose second record holds a {@link #OVERSIZED_FIELD_BYTES}-byte value. */
    OVERSIZED_FIELD;

    /** The size of the value an {@link #OVERSIZED_FIELD} page holds. */
    static final int OVERSIZED_FIELD_BYTES = 256 * 1024;

    /**
     * The kind named on the wire: {@code html}, {@code empty}, {@code invalid-utf8}, {@code
     * short-record} or {@code oversized-field}.
     *
     * @throws IllegalArgumentException for another name
     */
    static BadPage named(String name) {
      return switch (name) {
        case "html" -> HTML;
        case "empty" -> EMPTY;
        case "invalid-utf8" -> INVALID_UTF8;
        case "short-record" -> SHORT_RECORD;
        case "oversized-field" -> OVERSIZED_FIELD;
        default ->
            throw new IllegalArgumentException(
                "bad page kind must be html or empty, or a broken CSV page: invalid-utf8,"
                    + " short-record or oversized-field; got '"
                    + name
                    + "'");
      };
    }
  }

  /** Bad pages: which kind, from which data page on (counted since they were set). */
  private record BadPages(BadPage kind, int from, AtomicInteger served) {}

  private final SandboxConfig config;
  private volatile int pollsBeforeReady;
  private volatile String failMessage;
  private volatile boolean malformed;
  private volatile BadPages badPages;
  private volatile int loopBackAfterPage;
  private volatile boolean ignorePageParameter;
  private volatile boolean truncatedGzip;
  private volatile boolean redirectLoop;

  GenericKnobs(SandboxConfig config) {
    this.config = config;
    reset();
  }

  void reset() {
    pollsBeforeReady = config.pollsBeforeReady();
    failMessage = null;
    malformed = false;
    badPages = null;
    loopBackAfterPage = 0;
    ignorePageParameter = false;
    truncatedGzip = false;
    redirectLoop = false;
  }

  int pollsBeforeReady() {
    return pollsBeforeReady;
  }

  void pollsBeforeReady(int polls) {
    if (polls < 0) {
      throw new IllegalArgumentException("pollsBeforeReady must be >= 0, got " + polls);
    }
    pollsBeforeReady = polls;
  }

  String failMessage() {
    return failMessage;
  }

  void failMessage(String message) {
    failMessage = message;
  }

  boolean malformed() {
    return malformed;
  }

  void malformed(boolean corrupt) {
    malformed = corrupt;
  }

  /**
   * From the {@code from}-th data page served from now on (1: the next one), every data page is
   * {@code kind}; null clears.
   *
   * @throws IllegalArgumentException when {@code from} is below 1
   */
  void badPages(BadPage kind, int from) {
    if (kind != null && from < 1) {
      throw new IllegalArgumentException("from must be >= 1, got " + from);
    }
    badPages = kind == null ? null : new BadPages(kind, from, new AtomicInteger());
  }

  /** Counts a data page served; the bad kind it must be, if any. */
  Optional<BadPage> nextDataPage() {
    BadPages bad = badPages;
    if (bad == null) {
      return Optional.empty();
    }
    boolean isBad = bad.served().incrementAndGet() >= bad.from();
    return isBad ? Optional.of(bad.kind()) : Optional.empty();
  }

  /** The page (from 1) whose next link or cursor points back at the page before it; 0: none. */
  int loopBackAfterPage() {
    return loopBackAfterPage;
  }

  void loopBackAfterPage(int page) {
    if (page != 0 && page < 2) {
      throw new IllegalArgumentException("loopBackAfterPage must be 0 (off) or >= 2, got " + page);
    }
    loopBackAfterPage = page;
  }

  boolean ignorePageParameter() {
    return ignorePageParameter;
  }

  void ignorePageParameter(boolean ignore) {
    ignorePageParameter = ignore;
  }

  boolean truncatedGzip() {
    return truncatedGzip;
  }

  void truncatedGzip(boolean truncated) {
    truncatedGzip = truncated;
  }

  boolean redirectLoop() {
    return redirectLoop;
  }

  void redirectLoop(boolean loop) {
    redirectLoop = loop;
  }
}
