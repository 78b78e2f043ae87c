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
    this.knobs =
        Map.ofEntries(
            knob(
                "reset",
                v -> {
                  if (flag(v, "reset")) emulator.reset();
                }),
            knob(
                "pollsBeforeReady", v -> emulator.pollsBeforeReady(integer(v, "pollsBeforeReady"))),
            knob("fail", v -> fail(v)),
            knob("malformed", v -> emulator.malformed(flag(v, "malformed"))),
            knob("badPages", v -> badPages(v)),
            knob("throttle", v -> KnobRequest.throttles(v, emulator::throttle)),
            knob("dropConnections", v -> KnobRequest.drops(v, emulator::dropConnections)),
            knob("loseAnswers", v -> KnobRequest.drops(v, emulator::loseAnswers)),
            knob("throttleEvery", v -> KnobRequest.periodicThrottles(v, emulator::throttleEvery)),
            knob("dropEvery", v -> KnobRequest.periodicDrops(v, emulator::dropEvery)),
            knob("trickle", v -> KnobRequest.trickles(v, emulator::trickle)),
            knob(
                "trickleEvery",
                v ->
                    emulator.trickleEvery(
                        v.path("kind").asText(),
                        integer(v.path("every"), "every"),
                        integer(v.path("bytesPerSecond"), "bytesPerSecond"))),
            knob("pass", v -> KnobRequest.drops(v, emulator::pass)),
            knob(
                "loopBackAfterPage",
                v -> emulator.loopBackAfterPage(integer(v, "loopBackAfterPage"))),
            knob(
                "ignorePageParameter",
                v -> emulator.ignorePageParameter(flag(v, "ignorePageParameter"))),
            knob("truncatedGzip", v -> emulator.truncatedGzip(flag(v, "truncatedGzip"))),
            knob("redirectLoop", v -> emulator.redirectLoop(flag(v, "redirectLoop"))),
            knob("surveys", v -> emulator.surveys().count(integer(v, "surveys"))),
            knob(
                "failSurvey",
                v ->
                    emulator
                        .surveys()
                        .failNext(v.path("survey").asText(), v.path("times").asInt(1))),
            knob(
                "addResponses",
                v ->
                    emulator
                        .surveys()
                        .addResponses(v.path("survey").asText(), v.path("rows").asInt(0))));
  }

  private static Map.Entry<String, Consumer<JsonNode>> knob(String name, Consumer<JsonNode> apply) {
    return Map.entry(name, apply);
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
