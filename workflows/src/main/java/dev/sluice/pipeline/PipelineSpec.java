package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;

/**
 * A pipeline definition, as loaded from its YAML file and validated against {@code
 * schema/pipeline.schema.json}. It holds secret <em>references</em> ({@code ${env:NAME}}, {@code
 * ${file:/path}}), never secret values, so it may travel in workflow inputs.
 *
 * @param name pipeline name; part of every workflow ID ({@code ingest/<name>/<logical-date>})
 * @param description free text shown in summaries
 * @param source where the data comes from
 * @param sink where it lands
 * @param incremental optional watermark settings; null means every run is a full extract
 * @param window the span of time one run covers, ending at its logical date (default 1d): offered
 *     to templates as {@code ${windowStart}} / {@code ${windowEnd}}; {@code sluice replay} re-runs
 *     whole windows
 * @param defer optional deferral of rows that are not yet complete; null means every row lands
 * @param units optional work units (two-step ingestion): one run per listed value, each in its own
 *     partition of the table; null means the pipeline runs once
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PipelineSpec(
    String name,
    String description,
    SourceSpec source,
    SinkSpec sink,
    IncrementalSpec incremental,
    Duration window,
    DeferralSpec defer,
    UnitsSpec units) {

  public PipelineSpec {
    window = window == null ? Duration.ofDays(1) : window;
  }

  /** A pipeline without work units. */
  public PipelineSpec(
      String name,
      String description,
      SourceSpec source,
      SinkSpec sink,
      IncrementalSpec incremental,
      Duration window,
      DeferralSpec defer) {
    this(name, description, source, sink, incremental, window, defer, null);
  }

  /** A pipeline with the default window and no deferral. */
  public PipelineSpec(
      String name,
      String description,
      SourceSpec source,
      SinkSpec sink,
      IncrementalSpec incremental) {
    this(name, description, source, sink, incremental, null, null);
  }

  /** Which workflow runs this pipeline. */
  @JsonIgnore
  public PipelineShape shape() {
    return PipelineShape.of(this);
  }

  /** The same pipeline with another sink (used to resolve relative paths). */
  public PipelineSpec withSink(SinkSpec newSink) {
    return new PipelineSpec(name, description, source, newSink, incremental, window, defer, units);
  }

  /** The same pipeline with another deferral rule (used to resolve relative paths). */
  public PipelineSpec withDefer(DeferralSpec newDefer) {
    return new PipelineSpec(name, description, source, sink, incremental, window, newDefer, units);
  }

  /** The same pipeline with other work units (null: none; used to resolve relative paths). */
  public PipelineSpec withUnits(UnitsSpec newUnits) {
    return new PipelineSpec(name, description, source, sink, incremental, window, defer, newUnits);
  }
}
