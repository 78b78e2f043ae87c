package dev.sluice.sandbox.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * {@code POST /sandbox/platform/knobs} and {@code GET /sandbox/platform/stats}: the Java API of
 * {@link PlatformEmulator} over HTTP. A knob request is a JSON object whose keys are applied in
 * document order, so {@code {"reset":true,"pollsBeforeFinal":5}} resets first.
 */
final class PlatformControlEndpoints {

  private final PlatformEmulator emulator;
  private final Map<String, Consumer<JsonNode>> knobs;

  PlatformControlEndpoints(PlatformEmulator emulator) {
    this.emulator = emulator;
    this.knobs =
        Map.ofEntries(
            Map.entry(
                "reset",
                v -> {
                  if (flag(v)) emulator.reset();
                }),
            Map.entry("pollsBeforeFinal", v -> emulator.pollsBeforeFinal(integer(v))),
            Map.entry(
                "processingTimeMillis",
                v -> emulator.processingTime(Duration.ofMillis(integer(v)))),
            Map.entry(
                "failUploads",
                v -> emulator.failUploads(integer(v.path("count")), integer(v.path("status")))),
            Map.entry(
                "failRequests",
                v ->
                    emulator.failRequests(
                        v.path("kind").asText(),
                        integer(v.path("count")),
                        integer(v.path("status")))),
            Map.entry(
                "dropConnections",
                v -> emulator.dropConnections(v.path("kind").asText(), integer(v.path("count")))),
            Map.entry(
                "loseAnswers",
                v -> emulator.loseAnswers(v.path("kind").asText(), integer(v.path("count")))),
            Map.entry("failAfterComplete", this::failAfterComplete),
            Map.entry(
                "revokeTokens",
                v -> {
                  if (flag(v)) emulator.revokeTokens();
                }),
            Map.entry("tokenTtlSeconds", v -> emulator.tokenTtl(Duration.ofSeconds(integer(v)))),
            Map.entry("seedDataset", v -> emulator.seedDataset(convert(v, DatasetSeed.class))),
            Map.entry("seedBatch", v -> emulator.seedBatch(convert(v, BatchSeed.class))),
            Map.entry(
                "seedContentBatch",
                v -> emulator.seedContentBatch(convert(v, ContentBatchSeed.class))),
            Map.entry("settleBatch", this::settleBatch));
  }

  void register(PlatformRoutes routes) {
    routes
        .open("POST", "/sandbox/platform/knobs", null, this::apply)
        .open("GET", "/sandbox/platform/stats", null, call -> Reply.json(200, emulator.stats()));
  }

  private Reply apply(Call call) {
    JsonNode body;
    try {
      body = Reply.MAPPER.readTree(call.body());
    } catch (IOException e) {
      throw PlatformFailure.badRequest("knobs must be a JSON object: " + e.getMessage());
    }
    if (body == null || !body.isObject()) {
      throw PlatformFailure.badRequest("knobs must be a JSON object");
    }
    for (Map.Entry<String, JsonNode> entry : body.properties()) {
      Consumer<JsonNode> knob = knobs.get(entry.getKey());
      if (knob == null) {
        throw PlatformFailure.badRequest(
            "unknown knob '"
                + entry.getKey()
                + "', expected one of "
                + new TreeSet<>(knobs.keySet()));
      }
      try {
        knob.accept(entry.getValue());
      } catch (IllegalArgumentException | NullPointerException e) {
        throw PlatformFailure.badRequest(entry.getKey() + ": " + e.getMessage());
      }
    }
    return new Reply(204, null, Map.of(), new byte[0]);
  }

  /** {@code {"status","code","description"}} forces failures; {@code null} clears them. */
  private void failAfterComplete(JsonNode value) {
    if (value.isNull()) {
      emulator.clearFailAfterComplete();
    } else {
      emulator.failAfterComplete(
          value.path("status").asText("failure"),
          value.path("code").asText(),
          value.path("description").asText());
    }
  }

  /** {@code {"batchId","status","errors":[{"code","description"}]}}. */
  private void settleBatch(JsonNode value) {
    List<BatchError> errors = new ArrayList<>();
    for (JsonNode error : value.path("errors")) {
      errors.add(
          new BatchError(
              error.path("code").asText(), error.path("description").asText(), List.of()));
    }
    emulator.settleBatch(value.path("batchId").asText(), value.path("status").asText(), errors);
  }

  private static int integer(JsonNode value) {
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new IllegalArgumentException("expected an integer, got " + value);
    }
    return value.intValue();
  }

  private static boolean flag(JsonNode value) {
    if (!value.isBoolean()) {
      throw new IllegalArgumentException("expected true or false, got " + value);
    }
    return value.booleanValue();
  }

  private static <T> T convert(JsonNode value, Class<T> type) {
    try {
      return Reply.MAPPER.treeToValue(value, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage());
    }
  }
}
