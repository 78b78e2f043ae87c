package dev.sluice.starter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.starter.spec.DocPath;
import dev.sluice.starter.spec.Problem;
import dev.sluice.workers.codec.AesGcmPayloadCodec;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The size of the input a run of a pipeline sends to Temporal, against the server's default limits
 * for one payload: {@code limit.blobSize.error} (2 MiB) refuses a larger one, and {@code
 * limit.blobSize.warn} (512 KiB) logs a warning. The whole pipeline travels in the input (and in
 * the inputs of the activities that need it), so a pipeline over the limit would validate, start,
 * and then fail on the server; {@code validate} and {@code run} refuse it instead.
 *
 * @param bytes the serialized size of the run's input, as the server receives it
 * @param bulk where most of it is: the path of the part of the pipeline holding most of the bytes
 *     ({@code description}, {@code sink.columns}), empty when no part does
 * @param bulkBytes the size of that part as JSON
 */
record WorkflowInputSize(long bytes, String bulk, long bulkBytes) {
  /** Temporal's default {@code limit.blobSize.error}. */
  static final long LIMIT_BYTES = 2L * 1024 * 1024;

  /** Temporal's default {@code limit.blobSize.warn}. */
  static final long WARN_BYTES = 512L * 1024;

  /**
   * Measures the input of a fresh run of {@code spec}, through the data converter the CLI's client
   * starts runs with (the payload codec included when {@code SLUICE_CODEC_KEY_ID} is set).
   */
  static WorkflowInputSize of(PipelineSpec spec) {
    Optional<AesGcmPayloadCodec> codec;
    try {
      codec = TemporalConnection.codec();
    } catch (IllegalArgumentException e) {
      // The command that connects reports a broken key setup; the codec adds a few dozen bytes.
      codec = Optional.empty();
    }
    return of(spec, TemporalConnection.dataConverter(codec));
  }

  /** Measures the input of a fresh run of {@code spec} as {@code converter} serializes it. */
  static WorkflowInputSize of(PipelineSpec spec, DataConverter converter) {
    RunKind kind = RunKind.of(spec);
    // The logical date is now, as for `sluice run` without --logical-date: it is a few bytes.
    Object input = kind.input(spec, PipelineRuns.logicalDate(null), true);
    long bytes =
        converter.toPayloads(new Object[] {input}).map(Payloads::getSerializedSize).orElse(0);
    // The bulk is found in the JSON the default converter writes (the codec only wraps it).
    ObjectMapper json = JacksonJsonPayloadConverter.newDefaultObjectMapper();
    JsonNode node = json.valueToTree(input).path("pipeline");
    String path = "";
    long size = jsonBytes(json, node);
    while (node.isContainerNode()) {
      String largestPath = null;
      long largestSize = -1;
      for (Map.Entry<String, JsonNode> child : children(node, path).entrySet()) {
        long childSize = jsonBytes(json, child.getValue());
        if (childSize > largestSize) {
          largestPath = child.getKey();
          largestSize = childSize;
        }
      }
      // Descend while one part holds most of the bytes: that part is what to shorten.
      if (largestPath == null || largestSize * 2 < size) {
        break;
      }
      node = children(node, path).get(largestPath);
      path = largestPath;
      size = largestSize;
    }
    return new WorkflowInputSize(bytes, path, path.isEmpty() ? 0 : size);
  }

  /** The problem when Temporal would refuse the input. */
  Optional<Problem> problem() {
    if (bytes <= LIMIT_BYTES) {
      return Optional.empty();
    }
    String over =
        "the run's workflow input "
            + Sizes.human(bytes)
            + " ("
            + bytes
            + " bytes), over Temporal's limit of "
            + Sizes.human(LIMIT_BYTES)
            + " for one payload (limit.blobSize.error)";
    if (bulk.isEmpty()) {
      return Optional.of(
          new Problem(
              "",
              "the pipeline makes "
                  + over
                  + ": the whole pipeline travels in the input and in workflow history; make it"
                  + " smaller"));
    }
    return Optional.of(
        new Problem(
            bulk,
            "is "
                + Sizes.human(bulkBytes)
                + ", which makes "
                + over
                + ": shorten it (the whole pipeline travels in the input and in workflow"
                + " history)"));
  }

  /** A note when the server would log a warning, but accept the input. */
  Optional<String> warning() {
    if (bytes <= WARN_BYTES || bytes > LIMIT_BYTES) {
      return Optional.empty();
    }
    return Optional.of(
        "the run's workflow input is "
            + Sizes.human(bytes)
            + (bulk.isEmpty() ? "" : ", most of it " + bulk + " (" + Sizes.human(bulkBytes) + ")")
            + ": Temporal warns above "
            + Sizes.human(WARN_BYTES)
            + " (limit.blobSize.warn) and refuses more than "
            + Sizes.human(LIMIT_BYTES)
            + "; every activity that needs the pipeline stores it in history again");
  }

  /** The items of an object or a list, by their paths under {@code path}, in order. */
  private static Map<String, JsonNode> children(JsonNode node, String path) {
    Map<String, JsonNode> children = new LinkedHashMap<>();
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        children.put(DocPath.key(path, field.getKey()), field.getValue());
      }
    } else {
      for (int i = 0; i < node.size(); i++) {
        children.put(DocPath.index(path, i), node.get(i));
      }
    }
    return children;
  }

  private static long jsonBytes(ObjectMapper json, JsonNode node) {
    try {
      return json.writeValueAsBytes(node).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a JSON tree", e);
    }
  }
}
