package dev.sluice.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sandbox.SnowflakeEmulator.Event;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Snowflake SQL API v2: {@code POST /api/v2/statements} (submit, {@code ?async=true}, {@code
 * ?requestId=} makes a resubmission return the same statement), {@code GET
 * /api/v2/statements/{handle}} (202 running, 200 with the first partition, 422 failed; {@code
 * ?partition=i} for the others) and {@code POST /api/v2/statements/{handle}/cancel}, behind {@code
 * Authorization: Bearer}.
 */
final class SnowflakeEndpoints {

  private static final String STATEMENTS = "/api/v2/statements";
  static final String PARTITION = "partition";

  private final SnowflakeEmulator emulator;
  private final Counters<Event> counters;
  private final Clock clock;
  private final Map<String, SnowflakeStatement> statements = new ConcurrentHashMap<>();
  private final Map<String, SnowflakeStatement> byRequestId = new ConcurrentHashMap<>();
  private final AtomicLong handles = new AtomicLong();
  private final Traffic traffic;

  SnowflakeEndpoints(
      SnowflakeEmulator emulator, Counters<Event> counters, Traffic traffic, Clock clock) {
    this.emulator = emulator;
    this.counters = counters;
    this.traffic = traffic;
    this.clock = clock;
  }

  void register(Router router) {
    router
        .route("POST", STATEMENTS, "submit", this::submit)
        .route("GET", STATEMENTS + "/([\\w-]+)", "status", this::status)
        .route("POST", STATEMENTS + "/([\\w-]+)/cancel", this::cancel);
  }

  long running() {
    return statements.values().stream()
        .filter(s -> s.state() == SnowflakeStatement.State.RUNNING)
        .count();
  }

  void clear() {
    statements.clear();
    byRequestId.clear();
  }

  private Response submit(Request request) {
    authenticate(request);
    String requestId = request.queryParam("requestId").orElse(null);
    SnowflakeStatement earlier = requestId == null ? null : byRequestId.get(requestId);
    if (earlier != null) {
      // Resubmitted with the same request ID: the statement is not run again.
      counters.increment(Event.RESUBMITTED);
      return Response.json(202, earlier.queryStatus());
    }
    JsonNode body = Json.readObject(request.body(), m -> error(400, "390142", m));
    if (body.path("statement").asText("").isBlank()) {
      throw new HttpFailure(
          error(
              422,
              "001003",
              "SQL compilation error:\nsyntax error line 1 at position 0 unexpected '<EOF>'."));
    }
    String handle = String.format("01b8c0de-0000-7a3c-0000-%012d", handles.incrementAndGet());
    SnowflakeStatement statement =
        new SnowflakeStatement(handle, requestId, clock.instant(), emulator.results());
    statements.put(handle, statement);
    if (requestId != null) {
      byRequestId.put(requestId, statement);
    }
    counters.increment(Event.SUBMITTED);
    // Asynchronous or not, a statement that takes time answers 202 with its handle: the sandbox
    // never holds a submit open for the 45 seconds Snowflake may.
    return Response.json(202, statement.queryStatus());
  }

  private Response status(Request request) {
    authenticate(request);
    SnowflakeStatement statement = statement(request.pathParam(1));
    statement.poll(emulator.running(), clock.instant());
    counters.increment(Event.STATUS_POLL);
    switch (statement.state()) {
      case RUNNING:
        return Response.json(202, statement.queryStatus());
      case FAILED:
      case CANCELLED:
        return Response.json(422, statement.failureStatus());
      default:
        break;
    }
    int partition = request.intParam("partition", 0, m -> error(400, "390142", m));
    SnowflakeResults results = statement.results();
    if (partition < 0 || partition >= results.partitions()) {
      throw new HttpFailure(
          error(
              400,
              "390142",
              "partition "
                  + partition
                  + " is out of range: the result has "
                  + results.partitions()
                  + " partitions"));
    }
    if (partition == 0 && request.queryParam("partition").isEmpty()) {
      return Response.json(200, statement.resultSet());
    }
    return partition(results, partition);
  }

  /**
   * A partition: only its {@code data}, served after the partition delay and counted in flight as
   * kind {@value #PARTITION} (status and partition requests share one route, so the route's kind
   * cannot tell them apart).
   */
  private Response partition(SnowflakeResults results, int partition) {
    counters.increment(Event.PARTITION);
    traffic.started(PARTITION);
    try {
      Pause.sleep(emulator.partitionDelay());
      return Response.json(200, Json.object().set("data", results.data(partition)));
    } finally {
      traffic.ended(PARTITION);
    }
  }

  private Response cancel(Request request) {
    authenticate(request);
    SnowflakeStatement statement = statement(request.pathParam(1));
    if (statement.cancel()) {
      counters.increment(Event.CANCEL);
    }
    return Response.json(
        200,
        Json.object()
            .put("code", "000000")
            .put("sqlState", "00000")
            .put("message", "successfully canceled")
            .put("statementHandle", statement.handle())
            .put("statementStatusUrl", statement.statusUrl()));
  }

  private SnowflakeStatement statement(String handle) {
    SnowflakeStatement statement = statements.get(handle);
    if (statement == null) {
      throw new HttpFailure(
          error(404, "390401", "Statement " + handle + " not found or not accessible."));
    }
    return statement;
  }

  private void authenticate(Request request) {
    String authorization = request.header("Authorization");
    if (!("Bearer " + SnowflakeEmulator.TOKEN).equals(authorization)) {
      counters.increment(Event.UNAUTHORIZED);
      throw new HttpFailure(error(401, "390303", "Invalid OAuth access token. "));
    }
  }

  /** Snowflake's error body: {@code {"code","message"}} (a QueryFailureStatus adds more). */
  static Response error(int status, String code, String message) {
    return Response.json(status, Json.object().put("code", code).put("message", message));
  }
}
