package dev.sluice.sandbox;

import static dev.sluice.sandbox.KnobRequest.flag;
import static dev.sluice.sandbox.KnobRequest.integer;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code POST /sandbox/salesforce/knobs} and {@code GET /sandbox/salesforce/stats}: the Java API of
 * {@link SalesforceEmulator} over HTTP, for a sandbox running in another process.
 */
final class SalesforceControlEndpoints {

  private final SalesforceEmulator emulator;
  private final Map<String, Consumer<JsonNode>> knobs;

  SalesforceControlEndpoints(SalesforceEmulator emulator) {
    this.emulator = emulator;
    this.knobs =
        Map.ofEntries(
            knob(
                "reset",
                v -> {
                  if (flag(v, "reset")) emulator.reset();
                }),
            knob("addContacts", v -> emulator.addContacts(integer(v, "addContacts"))),
            knob(
                "pollsBeforeReady", v -> emulator.pollsBeforeReady(integer(v, "pollsBeforeReady"))),
            knob(
                "readyAfterMillis",
                v -> emulator.readyAfter(Duration.ofMillis(integer(v, "readyAfterMillis")))),
            knob("failJobs", v -> failJobs(v)),
            knob("throttle", v -> KnobRequest.throttles(v, emulator::throttle)),
            knob("dropConnections", v -> KnobRequest.drops(v, emulator::dropConnections)),
            knob("loseAnswers", v -> KnobRequest.drops(v, emulator::loseAnswers)),
            knob("throttleEvery", v -> KnobRequest.periodicThrottles(v, emulator::throttleEvery)),
            knob("dropEvery", v -> KnobRequest.periodicDrops(v, emulator::dropEvery)),
            knob("trickle", v -> KnobRequest.trickles(v, emulator::trickle)),
            knob("pass", v -> KnobRequest.drops(v, emulator::pass)),
            knob("repeatLocator", v -> emulator.repeatLocator(flag(v, "repeatLocator"))),
            knob(
                "revokeTokens",
                v -> {
                  if (flag(v, "revokeTokens")) emulator.revokeTokens();
                }),
            knob(
                "tokenTtlSeconds",
                v -> emulator.tokenTtl(Duration.ofSeconds(integer(v, "tokenTtlSeconds")))),
            knob(
                "defaultMaxRecords",
                v -> emulator.defaultMaxRecords(integer(v, "defaultMaxRecords"))),
            knob(
                "pageDelayMillis",
                v -> emulator.pageDelay(Duration.ofMillis(integer(v, "pageDelayMillis")))));
  }

  private static Map.Entry<String, Consumer<JsonNode>> knob(String name, Consumer<JsonNode> apply) {
    return Map.entry(name, apply);
  }

  void register(Router router) {
    router
        .route("POST", "/sandbox/salesforce/knobs", request -> KnobRequest.apply(request, knobs))
        .route("GET", "/sandbox/salesforce/stats", request -> Response.json(200, emulator.stats()));
  }

  /** A message makes jobs fail with it; {@code null} clears the failure. */
  private void failJobs(JsonNode value) {
    if (value.isNull()) {
      emulator.clearFailJobs();
    } else {
      emulator.failJobs(value.asText());
    }
  }
}
