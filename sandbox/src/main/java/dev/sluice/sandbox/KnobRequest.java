package dev.sluice.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Applies a control request: a JSON object whose keys name knobs, applied in document order (so
 * {@code {"reset":true,"pollsBeforeReady":5}} resets first). Unknown keys and bad values are 400.
 */
final class KnobRequest {

  /** The shape of the emulators' {@code throttle(kind, count, status, retryAfterSeconds)}. */
  @FunctionalInterface
  interface ThrottleKnob {
    void throttle(String kind, int count, int status, int retryAfterSeconds);
  }

  /** The shape of the emulators' {@code throttleEvery(kind, every, status, retryAfterSeconds)}. */
  @FunctionalInterface
  interface PeriodicThrottleKnob {
    void throttleEvery(String kind, int every, int status, int retryAfterSeconds);
  }

  /** The shape of the emulators' {@code trickle(kind, count, bytesPerSecond)}. */
  @FunctionalInterface
  interface TrickleKnob {
    void trickle(String kind, int count, int bytesPerSecond);
  }

  private KnobRequest() {}

  static Response apply(Request request, Map<String, Consumer<JsonNode>> knobs) {
    JsonNode body = Json.readObject(request.body(), KnobRequest::badRequest);
    for (Map.Entry<String, JsonNode> entry : body.properties()) {
      Consumer<JsonNode> knob = knobs.get(entry.getKey());
      if (knob == null) {
        return badRequest(
            "unknown knob '"
                + entry.getKey()
                + "', expected one of "
                + new TreeSet<>(knobs.keySet()));
      }
      try {
        knob.accept(entry.getValue());
      } catch (IllegalArgumentException e) {
        return badRequest(entry.getKey() + ": " + e.getMessage());
      }
    }
    return Response.noContent();
  }

  static int integer(JsonNode value, String name) {
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new IllegalArgumentException(name + " must be an integer, got " + value);
    }
    return value.intValue();
  }

  /** A {@code true} flag; {@code false} means "do nothing", so a request can switch it off. */
  static boolean flag(JsonNode value, String name) {
    if (!value.isBoolean()) {
      throw new IllegalArgumentException(name + " must be true or false, got " + value);
    }
    return value.booleanValue();
  }

  /** Applies {@code {"kind","count","status","retryAfterSeconds"}}, or an array of them. */
  static void throttles(JsonNode value, ThrottleKnob knob) {
    forEach(
        value,
        t ->
            knob.throttle(
                t.path("kind").asText(),
                integer(t.path("count"), "count"),
                integer(t.path("status"), "status"),
                integer(t.path("retryAfterSeconds"), "retryAfterSeconds")));
  }

  /** Applies {@code {"kind","count"}}, or an array of them. */
  static void drops(JsonNode value, BiConsumer<String, Integer> knob) {
    forEach(value, d -> knob.accept(d.path("kind").asText(), integer(d.path("count"), "count")));
  }

  /** Applies {@code {"kind","every","status","retryAfterSeconds"}}, or an array of them. */
  static void periodicThrottles(JsonNode value, PeriodicThrottleKnob knob) {
    forEach(
        value,
        t ->
            knob.throttleEvery(
                t.path("kind").asText(),
                integer(t.path("every"), "every"),
                integer(t.path("status"), "status"),
                integer(t.path("retryAfterSeconds"), "retryAfterSeconds")));
  }

  /** Applies {@code {"kind","every"}}, or an array of them. */
  static void periodicDrops(JsonNode value, BiConsumer<String, Integer> knob) {
    forEach(value, d -> knob.accept(d.path("kind").asText(), integer(d.path("every"), "every")));
  }

  /** Applies {@code {"kind","count","bytesPerSecond"}}, or an array of them. */
  static void trickles(JsonNode value, TrickleKnob knob) {
    forEach(
        value,
        t ->
            knob.trickle(
                t.path("kind").asText(),
                integer(t.path("count"), "count"),
                integer(t.path("bytesPerSecond"), "bytesPerSecond")));
  }

  private static void forEach(JsonNode objectOrArray, Consumer<JsonNode> action) {
    if (objectOrArray.isArray()) {
      objectOrArray.forEach(action);
    } else {
      action.accept(objectOrArray);
    }
  }

  private static Response badRequest(String message) {
    return Response.error(400, message);
  }
}
