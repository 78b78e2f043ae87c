package dev.sluice.sandbox;

import static dev.sluice.sandbox.KnobRequest.flag;
import static dev.sluice.sandbox.KnobRequest.integer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code POST /sandbox/generic/knobs} and {@code GET /sandbox/generic/stats}: the Java API of
 * {@link GenericExportEmulator} over HTTP.
 */
final class GenericControlEndpoints {

  private final GenericExportEmulator emulator;
  private final Map<String, Consumer<JsonNode>> knobs;

  GenericControlEndpoints(GenericExportEmulator emulator) {
    this.emulator = emulator;
    Map<String, Consumer<JsonNode>> k = new java.util.LinkedHashMap<>();
    k.put(
        "reset",
        v -> {
          if (flag(v, "reset")) emulator.reset();
        });
    k.put("pollsBeforeReady", v -> emulator.pollsBeforeReady(integer(v, "pollsBeforeReady")));
    k.put("fail", v -> fail(v));
    k.put("malformed", v -> emulator.malformed(flag(v, "malformed")));
    k.put("badPages", v -> badPages(v));
    k.put("throttle", v -> KnobRequest.throttles(v, emulator::throttle));
    k.put("dropConnections", v -> KnobRequest.drops(v, emulator::dropConnections));
    k.put("loseAnswers", v -> KnobRequest.drops(v, emulator::loseAnswers));
    k.put("surveys", v -> emulator.surveys().count(integer(v, "surveys")));
    k.put(
        "failSurvey",
        v -> emulator.surveys().failNext(v.path("survey").asText(), v.path("times").asInt(1)));
    k.put(
        "addResponses",
        v -> emulator.surveys().addResponses(v.path("survey").asText(), v.path("rows").asInt(0)));
    this.knobs = Map.copyOf(k);
  }

  void register(Router router) {
    router
        .route("POST", "/sandbox/generic/knobs", request -> KnobRequest.apply(request, knobs))
        .route("GET", "/sandbox/generic/stats", request -> Response.json(200, emulator.stats()));
  }

  /** {@code {"kind": "html"|"empty", "from": N}} (from defaults to 1); {@code null} clears. */
  private void badPages(JsonNode value) {
    if (value.isNull()) {
      emulator.badPages(null, 1);
    } else {
      JsonNode from = value.path("from");
      emulator.badPages(
          value.path("kind").asText(), from.isMissingNode() ? 1 : integer(from, "from"));
    }
  }

  /** A message makes exports fail with it; {@code null} clears the failure. */
  private void fail(JsonNode value) {
    if (value.isNull()) {
      emulator.clearFail();
    } else {
      emulator.fail(value.asText());
    }
  }
}
