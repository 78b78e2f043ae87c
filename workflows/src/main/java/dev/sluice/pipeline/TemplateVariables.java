package dev.sluice.pipeline;

import java.util.List;

/**
 * The names of the run's own template variables ({@code ${name}} in request templates): the
 * workflows put them into every activity's variables, and the validator accepts exactly these.
 */
public final class TemplateVariables {
  /** The stored watermark of an incremental pipeline. */
  public static final String WATERMARK = "watermark";

  /** The upper bound of an incremental window ({@code incremental.openEnd} for a new one). */
  public static final String WATERMARK_END = "watermarkEnd";

  /** The run's logical date. */
  public static final String LOGICAL_DATE = "logicalDate";

  /** The start of the run's window. */
  public static final String WINDOW_START = "windowStart";

  /** The end of the run's window (its logical date). */
  public static final String WINDOW_END = "windowEnd";

  /** The first calendar day (UTC, {@code YYYY-MM-DD}) of the run's window. */
  public static final String WINDOW_FIRST_DAY = "windowFirstDay";

  /**
   * The last calendar day (UTC, {@code YYYY-MM-DD}) the run's window covers: the day before its
   * end when the end is a midnight, as an inclusive {@code until} of a date-range API wants.
   */
  public static final String WINDOW_LAST_DAY = "windowLastDay";

  /** The provider's ID of the submitted job. */
  public static final String REQUEST_ID = "requestId";

  /** The workflow ID. */
  public static final String RUN_ID = "runId";

  /** Unique to a run, stable across its retries. */
  public static final String IDEMPOTENCY_KEY = "idempotencyKey";

  /** The pipeline's name. */
  public static final String PIPELINE = "pipeline";

  /** Every run variable, in the order messages list them. */
  public static final List<String> ALL =
      List.of(
          WATERMARK,
          WATERMARK_END,
          LOGICAL_DATE,
          WINDOW_START,
          WINDOW_END,
          WINDOW_FIRST_DAY,
          WINDOW_LAST_DAY,
          REQUEST_ID,
          RUN_ID,
          IDEMPOTENCY_KEY,
          PIPELINE);

  /** The variables a work-unit listing request gets: it runs before any job or watermark. */
  public static final List<String> UNIT_LISTING =
      List.of(PIPELINE, LOGICAL_DATE, WINDOW_START, WINDOW_END, WINDOW_FIRST_DAY, WINDOW_LAST_DAY);

  private TemplateVariables() {}
}
