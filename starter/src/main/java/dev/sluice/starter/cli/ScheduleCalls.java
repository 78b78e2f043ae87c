package dev.sluice.starter.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import java.io.PrintWriter;

/**
 * One place for what every {@code schedule} command does around its call: connect, build the {@link
 * ScheduleClient}, and turn the server's answers into one line and an exit code.
 */
final class ScheduleCalls {
  /** Printed when the server has no Schedules API, e.g. the embedded test server. */
  static final String UNSUPPORTED =
      "this Temporal server does not support Schedules (the embedded test server has none); start"
          + " `sluice server` (the Temporal CLI's dev server) or use a real server";

  private ScheduleCalls() {}

  /** A command body given a connected schedule client and the connection. */
  @FunctionalInterface
  interface Call {
    int run(ScheduleClient schedules, TemporalConnection temporal);
  }

  /**
   * Connects, runs {@code call} and maps failures: server unreachable, Schedules unsupported, or no
   * such schedule → 3; schedule ID taken, or a spec the server rejects → 2.
   */
  static int run(ConnectionOptions connection, String scheduleId, PrintWriter err, Call call) {
    try (TemporalConnection temporal = TemporalConnection.open(connection)) {
      ScheduleClient schedules =
          ScheduleClient.newInstance(
              temporal.client().getWorkflowServiceStubs(),
              ScheduleClientOptions.newBuilder()
                  .setNamespace(connection.namespace())
                  // The same converter as the workflow client, so any payload codec applies.
                  .setDataConverter(temporal.client().getOptions().getDataConverter())
                  .build());
      return call.run(schedules, temporal);
    } catch (TemporalConnection.UnavailableException e) {
      err.println(e.getMessage());
      return ExitCodes.UNAVAILABLE;
    } catch (ScheduleAlreadyRunningException e) {
      err.println(
          "a schedule with ID '"
              + scheduleId
              + "' already exists (change it with `sluice schedule update`, or delete it first)");
      return ExitCodes.INVALID_INPUT;
    } catch (RuntimeException e) {
      StatusRuntimeException status = grpcStatus(e);
      if (status == null) {
        throw e;
      }
      Status.Code code = status.getStatus().getCode();
      if (code == Status.Code.UNIMPLEMENTED) {
        err.println(UNSUPPORTED);
        return ExitCodes.UNAVAILABLE;
      }
      if (code == Status.Code.NOT_FOUND) {
        err.println(
            "no schedule with ID '"
                + scheduleId
                + "' in namespace '"
                + connection.namespace()
                + "'");
        return ExitCodes.UNAVAILABLE;
      }
      if (code == Status.Code.INVALID_ARGUMENT) {
        err.println("the server refused the schedule: " + status.getStatus().getDescription());
        return ExitCodes.INVALID_INPUT;
      }
      throw e;
    }
  }

  /** The gRPC status somewhere in {@code e}'s causes (the SDK wraps some, not all). */
  static StatusRuntimeException grpcStatus(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s) {
        return s;
      }
    }
    return null;
  }
}
