package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

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
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PipelineSpec(
    String name,
    String description,
    SourceSpec source,
    SinkSpec sink,
    IncrementalSpec incremental) {}
