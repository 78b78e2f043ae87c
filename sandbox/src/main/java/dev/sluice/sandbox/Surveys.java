package dev.sluice.sandbox;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The surveys of the generic export API: the short list of values a two-step (work-unit) ingestion
 * lists first ({@code GET /generic/surveys}), then exports one by one ({@code "survey":"S-002"} in
 * the create body). Survey {@code k} (1-based) owns the {@code events} rows from {@code (k - 1) ×}
 * {@value #ROWS_PER_SURVEY_STRIDE} on, so each survey's rows (and IDs) are distinct. Thread-safe.
 */
public final class Surveys {

  /** Row index distance between two surveys' first rows. */
  public static final int ROWS_PER_SURVEY_STRIDE = 100_000;

  /** Surveys at start-up. */
  public static final int DEFAULT_COUNT = 5;

  private volatile int count = DEFAULT_COUNT;
  private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> added = new ConcurrentHashMap<>();

  /** {@code S-001}, {@code S-002}, … */
  public static String id(int oneBased) {
    return String.format("S-%03d", oneBased);
  }

  /** The IDs of every survey, in order. */
  public List<String> ids() {
    return IntStream.rangeClosed(1, count).mapToObj(Surveys::id).toList();
  }

  /**
   * How many surveys there are.
   *
   * @throws IllegalArgumentException when {@code n} is not in 0..999
   */
  public void count(int n) {
    if (n < 0 || n > 999) {
      throw new IllegalArgumentException("surveys must be in 0..999, got " + n);
    }
    count = n;
  }

  /**
   * The first {@code events} row of {@code survey}.
   *
   * @throws IllegalArgumentException for a survey that does not exist
   */
  public int firstRow(String survey) {
    int index = ids().indexOf(survey);
    if (index < 0) {
      throw new IllegalArgumentException(
          "unknown survey '" + survey + "'; GET /generic/surveys lists them");
    }
    return index * ROWS_PER_SURVEY_STRIDE;
  }

  /**
   * The next {@code times} exports of {@code survey} end {@code failed}.
   *
   * @throws IllegalArgumentException for an unknown survey or {@code times < 0}
   */
  public void failNext(String survey, int times) {
    firstRow(survey);
    if (times < 0) {
      throw new IllegalArgumentException("times must be >= 0, got " + times);
    }
    failures.put(survey, new AtomicInteger(times));
  }

  /**
   * Gives {@code survey} {@code rows} more responses: its exports serve that many rows more than the
   * export's {@code records}, each created one step after the last (new data for an incremental
   * unit).
   *
   * @throws IllegalArgumentException for an unknown survey or {@code rows < 0}
   */
  public void addResponses(String survey, int rows) {
    firstRow(survey);
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be >= 0, got " + rows);
    }
    added.computeIfAbsent(survey, s -> new AtomicInteger()).addAndGet(rows);
  }

  /** Responses added to {@code survey} by {@link #addResponses}. */
  public int added(String survey) {
    AtomicInteger n = added.get(survey);
    return n == null ? 0 : n.get();
  }

  /** Whether a new export of {@code survey} must fail, consuming one scripted failure if so. */
  boolean takeFailure(String survey) {
    AtomicInteger left = failures.get(survey);
    return left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
  }

  /** Back to {@link #DEFAULT_COUNT} surveys, none failing, none with added responses. */
  void reset() {
    count = DEFAULT_COUNT;
    failures.clear();
    added.clear();
  }
}
