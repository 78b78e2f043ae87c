package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.time.Duration;

/**
 * A pipeline definition, as loaded from its YAML file and validated against {@code
 * schema/pipeline.schema.json}. It holds secret <em>references</em> ({@code ${env:NAME}}, {@code
 * ${file:/path}}), never secret values, so it may travel in workflow inputs.
 *
 * <p>Build one with {@link #newBuilder}; the builder ({@code PipelineSpecBuilder}) is generated at
 * compile time, and the defaults live here, in the compact constructor.
 *
 * @param name pipeline name; part of every workflow ID ({@code ingest/<name>/<logical-date>});
 *     required
 * @param description free text shown in summaries; default null
 * @param source where the data comes from; required
 * @param sink where it lands; required
 * @param incremental optional watermark settings; default null: every run is a full extract
 * @param window the span of time one run covers, ending at its logical date; default null: {@link
 *     #DEFAULT_WINDOW} (1d). Offered to templates as {@code ${windowStart}} / {@code ${windowEnd}};
 *     {@code sluice replay} re-runs whole windows
 * @param defer optional deferral of rows that are not yet complete; default null: every row lands
 * @param units optional work units (two-step ingestion): one run per listed value, each in its own
 *     partition of the table; default null: the pipeline runs once
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@RecordBuilder
@RecordBuilder.Options(setterPrefix = "set", enableWither = false)
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
   * A builder of a pipeline reading {@code source} into {@code sink} (the builder is generated from
   * this record). Every other component starts at the default JSON recorded before it existed also
   * reads as: no description, full extracts (no incremental settings), a window of {@link
   * #DEFAULT_WINDOW}, no deferral, no work units.
   */
  public static PipelineSpecBuilder newBuilder(String name, SourceSpec source, SinkSpec sink) {
    return PipelineSpecBuilder.builder().setName(name).setSource(source).setSink(sink);
  }

  /** A builder starting from this pipeline. */
  public PipelineSpecBuilder toBuilder() {
    return PipelineSpecBuilder.builder(this);
  }

  /** Which workflow runs this pipeline. */
  @JsonIgnore
  public PipelineShape shape() {
    return PipelineShape.of(this);
  }

  /** The same pipeline with another sink (used to resolve relative paths). */
  public PipelineSpec withSink(SinkSpec newSink) {
    return toBuilder().setSink(newSink).build();
  }

  /** The same pipeline with another deferral rule (used to resolve relative paths). */
  public PipelineSpec withDefer(DeferralSpec newDefer) {
    return toBuilder().setDefer(newDefer).build();
  }

  /** The same pipeline with other work units (null: none; used to resolve relative paths). */
  public PipelineSpec withUnits(UnitsSpec newUnits) {
    return toBuilder().setUnits(newUnits).build();
  }
}
