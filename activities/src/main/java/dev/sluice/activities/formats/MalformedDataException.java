package dev.sluice.activities.formats;

/**
 * A page that cannot be parsed; names the page (1-based, per extraction) and the line in it, or
 * only the page for a problem of the whole page (its media type).
 */
public final class MalformedDataException extends RuntimeException {
  private final int page;
  private final long line;

  /**
   * @param page 1-based page number
   * @param line 1-based line number within the page; 0 for a problem of the whole page
   * @param problem what is wrong there
   */
  public MalformedDataException(int page, long line, String problem) {
    this(page, line, problem, null);
  }

  /** As {@link #MalformedDataException(int, long, String)}, keeping the parser's own error. */
  public MalformedDataException(int page, long line, String problem, Throwable cause) {
    super("page " + page + (line > 0 ? ", line " + line : "") + ": " + problem, cause);
    this.page = page;
    this.line = line;
  }

  /** The 1-based page number. */
  public int page() {
    return page;
  }

  /** The 1-based line number within the page; 0 when the problem is the whole page's. */
  public long line() {
    return line;
  }
}
