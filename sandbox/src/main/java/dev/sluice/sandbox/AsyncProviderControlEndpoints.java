package dev.sluice.sandbox;

import static dev.sluice.sandbox.KnobRequest.flag;
import static dev.sluice.sandbox.KnobRequest.integer;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code POST /sandbox/<provider>/knobs} and {@code GET /sandbox/<provider>/stats} of the
 * asynchronous-export emulations ({@code spapi}, {@code snowflake}, {@code meta}): their Java knobs
 * over HTTP, for a sandbox started with {@code sluice sandbox} in another process. A knobs body is
 * a JSON object applied in order, e.g. {@code {"reset":true,"maxDays":8}}; {@code throttle} takes
 * {@code {"kind","count","status","retryAfterSeconds"}} or an array of them.
 */
final class AsyncProviderControlEndpoints {

  private AsyncProviderControlEndpoints() {}

  static void spApi(Router router, SpApiEmulator emulator) {
    register(
        router,
        "spapi",
        emulator::stats,
        Map.ofEntries(
            Map.entry("reset", (Consumer<JsonNode>) v -> when(flag(v, "reset"), emulator::reset)),
            Map.entry("rows", (Consumer<JsonNode>) v -> emulator.rows(integer(v, "rows"))),
            Map.entry(
                "processing",
                (Consumer<JsonNode>)
                    v ->
                        emulator.processing(
                            integer(v.path("polls"), "polls"),
                            Duration.ofMillis(integer(v.path("delayMillis"), "delayMillis")))),
            Map.entry("outcome", (Consumer<JsonNode>) v -> emulator.outcome(v.asText())),
            Map.entry(
                "urlTtlSeconds",
                (Consumer<JsonNode>)
                    v -> emulator.urlTtl(Duration.ofSeconds(integer(v, "urlTtlSeconds")))),
            Map.entry(
                "expireIssuedUrls",
                (Consumer<JsonNode>)
                    v -> when(flag(v, "expireIssuedUrls"), emulator::expireIssuedUrls)),
            Map.entry(
                "expireUrlAfterBytes",
                (Consumer<JsonNode>)
                    v -> emulator.expireUrlAfterBytes(integer(v, "expireUrlAfterBytes"))),
            Map.entry(
                "gzipDocuments",
                (Consumer<JsonNode>) v -> emulator.gzipDocuments(flag(v, "gzipDocuments"))),
            Map.entry(
                "revokeAccessTokens",
                (Consumer<JsonNode>)
                    v -> when(flag(v, "revokeAccessTokens"), emulator::revokeAccessTokens)),
            Map.entry(
                "refuseTokenGrants",
                (Consumer<JsonNode>)
                    v -> emulator.refuseTokenGrants(integer(v, "refuseTokenGrants"))),
            Map.entry(
                "tokenTtlSeconds",
                (Consumer<JsonNode>)
                    v -> emulator.tokenTtl(Duration.ofSeconds(integer(v, "tokenTtlSeconds")))),
            Map.entry(
                "throttle", (Consumer<JsonNode>) v -> KnobRequest.throttles(v, emulator::throttle)),
            Map.entry(
                "dropConnections",
                (Consumer<JsonNode>) v -> KnobRequest.drops(v, emulator::dropConnections))));
  }

  static void snowflake(Router router, SnowflakeEmulator emulator) {
    register(
        router,
        "snowflake",
        emulator::stats,
        Map.of(
            "reset", v -> when(flag(v, "reset"), emulator::reset),
            "result",
                v ->
                    emulator.result(
                        integer(v.path("rows"), "rows"),
                        integer(v.path("partitions"), "partitions")),
            "running",
                v ->
                    emulator.running(
                        integer(v.path("polls"), "polls"),
                        Duration.ofMillis(integer(v.path("timeMillis"), "timeMillis"))),
            "partitionDelayMillis",
                v -> emulator.partitionDelay(Duration.ofMillis(integer(v, "partitionDelayMillis"))),
            "fail",
                v ->
                    emulator.fail(
                        v.path("code").asText(),
                        v.path("message").asText(),
                        v.path("sqlState").asText()),
            "clearFail", v -> when(flag(v, "clearFail"), emulator::clearFail),
            "throttle", v -> KnobRequest.throttles(v, emulator::throttle),
            "dropConnections", v -> KnobRequest.drops(v, emulator::dropConnections)));
  }

  static void meta(Router router, MetaInsightsEmulator emulator) {
    register(
        router,
        "meta",
        emulator::stats,
        Map.of(
            "reset", v -> when(flag(v, "reset"), emulator::reset),
            "maxDays", v -> emulator.maxDays(integer(v, "maxDays")),
            "campaigns", v -> emulator.campaigns(integer(v, "campaigns")),
            "pollsBeforeComplete",
                v -> emulator.pollsBeforeComplete(integer(v, "pollsBeforeComplete")),
            "throttle", v -> KnobRequest.throttles(v, emulator::throttle)));
  }

  private static void register(
      Router router, String name, Supplier<Object> stats, Map<String, Consumer<JsonNode>> knobs) {
    router
        .route("POST", "/sandbox/" + name + "/knobs", request -> KnobRequest.apply(request, knobs))
        .route("GET", "/sandbox/" + name + "/stats", request -> Response.json(200, stats.get()));
  }

  private static void when(boolean flag, Runnable action) {
    if (flag) {
      action.run();
    }
  }
}
