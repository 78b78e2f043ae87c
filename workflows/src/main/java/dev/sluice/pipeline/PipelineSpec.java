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
    window = window == null ? DEFAULT_WINDOW : window;
  }

  /** The window of a pipeline that leaves it out. */
  public static final Duration DEFAULT_WINDOW = Duration.ofDays(1);

  /**
   * A builder of a pipeline reading {@code source} into {@code sink}. Every other component starts
   * at the default JSON recorded before it existed also reads as: no description, full extracts (no
   * incremental settings), a window of {@link #DEFAULT_WINDOW}, no deferral, no work units.
   */
  public static Builder newBuilder(String name, SourceSpec source, SinkSpec sink) {
    return new Builder(name, source, sink);
  }

  /** A builder starting from this pipeline. */
  public Builder toBuilder() {
    return new Builder(name, source, sink).copy(this);
  }

  /** Which workflow runs this pipeline. */
  @JsonIgnore
  public PipelineShape shape() {
    return PipelineShape.of(this);
  }

  /** The same pipeline with another sink (used to resolve relative paths). */
  public PipelineSpec withSink(SinkSpec newSink) {
    return new Builder(name, source, newSink).copy(this).build();
  }

  /** The same pipeline with another deferral rule (used to resolve relative paths). */
  public PipelineSpec withDefer(DeferralSpec newDefer) {
    return toBuilder().setDefer(newDefer).build();
  }

  /** The same pipeline with other work units (null: none; used to resolve relative paths). */
  public PipelineSpec withUnits(UnitsSpec newUnits) {
    return toBuilder().setUnits(newUnits).build();
  }

  /** Builds a {@link PipelineSpec}; see the record's components for what each means. */
  public static final class Builder {
    private final String name;
    private final SourceSpec source;
    private final SinkSpec sink;
    private String description;
    private IncrementalSpec incremental;
    private Duration window;
    private DeferralSpec defer;
    private UnitsSpec units;

    private Builder(String name, SourceSpec source, SinkSpec sink) {
      this.name = name;
      this.source = source;
      this.sink = sink;
    }

    private Builder copy(PipelineSpec from) {
      return setDescription(from.description)
          .setIncremental(from.incremental)
          .setWindow(from.window)
          .setDefer(from.defer)
          .setUnits(from.units);
    }

    /** Free text shown in summaries; default null. */
    public Builder setDescription(String value) {
      description = value;
      return this;
    }

    /** Watermark settings; default null: every run is a full extract. */
    public Builder setIncremental(IncrementalSpec value) {
      incremental = value;
      return this;
    }

    /** The span of one run; default null: {@link #DEFAULT_WINDOW}. */
    public Builder setWindow(Duration value) {
      window = value;
      return this;
    }

    /** Deferral of incomplete rows; default null: every row lands. */
    public Builder setDefer(DeferralSpec value) {
      defer = value;
      return this;
    }

    /** Work units; default null: the pipeline runs once. */
    public Builder setUnits(UnitsSpec value) {
      units = value;
      return this;
    }

    /** The pipeline. */
    public PipelineSpec build() {
      return new PipelineSpec(name, description, source, sink, incremental, window, defer, units);
    }
  }
}
