package dev.sluice.activities.http;

import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.workflows.activities.Messages.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;

/**
 * The activity library's meters. Every meter is tagged {@code pipeline} (the pipeline's name, from
 * the {@code pipeline} template variable of the activity request) and, where a provider is
 * involved, {@code provider} (the request URL's host): both come from configuration, not from data,
 * so the number of series stays bounded.
 *
 * <p>Names as Micrometer registers them, and as Prometheus shows them:
 *
 * <ul>
 *   <li>{@value #HTTP_RESPONSES} ({@code sluice_http_responses_total}): provider responses, tag
 *       {@code status} = {@code 2xx} … {@code 5xx}
 *   <li>{@value #EXTRACT_ROWS} ({@code sluice_extract_rows_total}): records parsed from result
 *       pages, as each page is read
 *   <li>{@value #EXTRACT_PAGES} ({@code sluice_extract_pages_total}): result pages read
 *   <li>{@value #STATUS_POLLS} ({@code sluice_status_polls_total}): status checks, tag {@code
 *       outcome} = {@code pending | ready | failed}
 *   <li>{@value #WRITTEN_ROWS} / {@value #WRITTEN_BYTES} ({@code
 *       sluice_parquet_written_rows_total}, {@code sluice_parquet_written_bytes_total}): rows and
 *       bytes of completed staged Parquet files, counted when a file completes (at its checkpoint)
 *       and at the end of an extract
 * </ul>
 *
 * <p>One instance per worker ({@link #HttpMetrics(MeterRegistry)}, pipeline {@value #UNKNOWN});
 * each activity call binds its pipeline with {@link #forPipeline(Map)}.
 */
public final class HttpMetrics {
  /** Provider HTTP responses. */
  public static final String HTTP_RESPONSES = "sluice.http.responses";

  /** Records parsed from result pages. */
  public static final String EXTRACT_ROWS = "sluice.extract.rows";

  /** Result pages read. */
  public static final String EXTRACT_PAGES = "sluice.extract.pages";

  /** Status checks, by outcome. */
  public static final String STATUS_POLLS = "sluice.status.polls";

  /** Rows in completed staged Parquet files. */
  public static final String WRITTEN_ROWS = "sluice.parquet.written.rows";

  /** Bytes of completed staged Parquet files. */
  public static final String WRITTEN_BYTES = "sluice.parquet.written.bytes";

  /** The {@code pipeline} tag of a request that names no pipeline. */
  public static final String UNKNOWN = "unknown";

  private final MeterRegistry registry;
  private final String pipeline;

  /**
   * @param registry the worker's registry
   */
  public HttpMetrics(MeterRegistry registry) {
    this(registry, UNKNOWN);
  }

  private HttpMetrics(MeterRegistry registry, String pipeline) {
    this.registry = registry;
    this.pipeline = pipeline;
  }

  /**
   * The same meters, tagged with the pipeline named in {@code vars} (the activity request's
   * template variables), or {@value #UNKNOWN} when they name none.
   */
  public HttpMetrics forPipeline(Map<String, String> vars) {
    String name = vars == null ? null : vars.get("pipeline");
    return new HttpMetrics(registry, name == null || name.isBlank() ? UNKNOWN : name);
  }

  /** Counts one response of {@code status} from {@code host}. */
  public void response(String host, int status) {
    Counter.builder(HTTP_RESPONSES)
        .description("HTTP responses from providers, by status class")
        .tag("pipeline", pipeline)
        .tag("provider", host)
        .tag("status", (status / 100) + "xx")
        .register(registry)
        .increment();
  }

  /** Counts one result page of {@code rows} records read from {@code host}. */
  public void rows(String host, long rows) {
    Counter.builder(EXTRACT_ROWS)
        .description("Records parsed from provider result pages")
        .tag("pipeline", pipeline)
        .tag("provider", host)
        .register(registry)
        .increment(rows);
    Counter.builder(EXTRACT_PAGES)
        .description("Result pages read from providers")
        .tag("pipeline", pipeline)
        .tag("provider", host)
        .register(registry)
        .increment();
  }

  /** Counts one status check of a job at {@code host} that came out as {@code outcome}. */
  public void poll(String host, Outcome outcome) {
    Counter.builder(STATUS_POLLS)
        .description("Provider job status checks, by outcome")
        .tag("pipeline", pipeline)
        .tag("provider", host)
        .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }

  /**
   * Counts the Parquet one extract attempt writes, from the writer state it resumes from: each
   * state observed later adds what it has beyond the last one counted. Files a resumed attempt
   * inherits from its checkpoint were counted by the attempt that wrote them, so they are not
   * counted again; an unfinished file of a failed attempt is never counted.
   */
  public WrittenFiles written(WriterState resumedFrom) {
    return new WrittenFiles(resumedFrom);
  }

  /** See {@link #written(WriterState)}. Not thread-safe: one per extract attempt. */
  public final class WrittenFiles {
    private long rows;
    private long bytes;

    private WrittenFiles(WriterState resumedFrom) {
      if (resumedFrom != null) {
        rows = resumedFrom.rows();
        bytes = resumedFrom.bytes();
      }
    }

    /** Counts completed files in {@code state} not counted yet; null is ignored. */
    public void observe(WriterState state) {
      if (state != null) {
        observe(state.rows(), state.bytes());
      }
    }

    /** Counts rows and bytes beyond the totals counted so far. */
    public void observe(long totalRows, long totalBytes) {
      if (totalRows > rows) {
        counter(WRITTEN_ROWS, "Rows in completed staged Parquet files").increment(totalRows - rows);
        rows = totalRows;
      }
      if (totalBytes > bytes) {
        Counter.builder(WRITTEN_BYTES)
            .description("Bytes of completed staged Parquet files")
            .baseUnit("bytes")
            .tag("pipeline", pipeline)
            .register(registry)
            .increment(totalBytes - bytes);
        bytes = totalBytes;
      }
    }

    private Counter counter(String name, String description) {
      return Counter.builder(name)
          .description(description)
          .tag("pipeline", pipeline)
          .register(registry);
    }
  }
}
