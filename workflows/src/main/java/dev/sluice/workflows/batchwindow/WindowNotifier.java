package dev.sluice.workflows.batchwindow;

import dev.sluice.workflows.common.WorkflowIds;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.util.List;
import java.util.Optional;

/**
 * Client side of a file-arrival notification, shared by {@code sluice notify} and the worker's
 * {@code POST /notify}: match the file to a route, then signal-with-start the route's window
 * workflow. Not workflow code.
 *
 * <p>Signal-with-start signals the running window when there is one and otherwise starts a new
 * window with the signal as its first event, atomically on the server; so a notification racing a
 * window that is completing lands either in that window (whose completion the server then refuses
 * until the workflow has seen the signal: it continues as new with the file) or in a new window.
 * Never in neither.
 */
public final class WindowNotifier {
  private final WorkflowClient client;
  private final String taskQueue;
  private final Routes routes;

  /**
   * @param client a client of the namespace the workers serve
   * @param taskQueue the task queue the workers poll
   * @param routes the routes to match files against
   */
  public WindowNotifier(WorkflowClient client, String taskQueue, Routes routes) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.routes = routes;
  }

  /**
   * Notifies the window of the route that takes {@code uri}.
   *
   * @return the route and window workflow signalled, or empty when no route takes the file
   * @throws io.grpc.StatusRuntimeException when Temporal cannot be reached or refuses
   */
  public Optional<Notified> notify(String uri) {
    Optional<Route> match = routes.match(uri);
    if (match.isEmpty()) {
      return Optional.empty();
    }
    Route route = match.get();
    String workflowId = WorkflowIds.window(route.name());
    BatchWindowWorkflow window =
        client.newWorkflowStub(
            BatchWindowWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(taskQueue)
                .setStaticSummary("batch window of route " + route.name())
                .build());
    BatchRequest request = client.newSignalWithStartRequest();
    request.add(window::run, new WindowInput(route, List.of()));
    request.add(window::fileArrived, new FileArrival(uri));
    WorkflowExecution execution = client.signalWithStart(request);
    return Optional.of(new Notified(uri, route.name(), workflowId, execution.getRunId()));
  }

  /**
   * @param uri the file
   * @param route the route that took it
   * @param workflowId its window workflow
   * @param runId the execution signalled (or started)
   */
  public record Notified(String uri, String route, String workflowId, String runId) {}
}
