package dev.sluice.starter.cli;

import dev.sluice.workflows.common.SearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice list}: recent pipeline runs, newest first. On a server with a visibility store this
 * is one visibility query; the embedded dev server (Temporal's test server) has no query API, so
 * there it lists the server's open and closed executions and filters them here.
 */
@Command(
    name = "list",
    description = "List pipeline runs, newest first: ID, status, start and close time.",
    mixinStandardHelpOptions = true)
public final class ListCommand implements Callable<Integer> {
  /** The workflow types of pipeline runs ({@link RunKind}). */
  static final List<String> WORKFLOW_TYPES = RunKind.workflowTypes();

  /** What a schedule appends to a workflow ID: "-" and the scheduled time. */
  private static final java.util.regex.Pattern SCHEDULED_SUFFIX =
      java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}T.*");

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Option(names = "--pipeline", paramLabel = "NAME", description = "Only runs of this pipeline.")
  String pipeline;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      converter = StatusConverter.class,
      description =
          "Only runs in this state: running, completed, failed, canceled, terminated, timed-out.")
  WorkflowExecutionStatus status;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "20",
      description = "At most this many runs (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (limit < 1) {
      err.println("--limit must be at least 1");
      return ExitCodes.INVALID_INPUT;
    }
    try (TemporalConnection temporal = TemporalConnection.open(connection)) {
      WorkflowClient client = temporal.client();
      List<WorkflowExecutionMetadata> runs;
      try {
        boolean attributes = pipeline != null && PipelineRuns.searchAttributesRegistered(client);
        String query = query(pipeline, status, attributes);
        runs =
            client
                .listExecutions(query)
                .filter(
                    run ->
                        pipeline == null || isRunOf(run.getExecution().getWorkflowId(), pipeline))
                .limit(limit)
                .collect(Collectors.toList());
      } catch (RuntimeException e) {
        StatusRuntimeException grpc = ScheduleCalls.grpcStatus(e);
        if (grpc == null || grpc.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
          throw e;
        }
        err.println(
            "note: this server has no visibility queries (the embedded dev server is Temporal's"
                + " test server); listing its open and closed executions instead");
        runs = withoutVisibility(client, pipeline, status, limit);
      }
      print(out, runs);
      return ExitCodes.OK;
    } catch (TemporalConnection.UnavailableException e) {
      err.println(e.getMessage());
      return ExitCodes.UNAVAILABLE;
    }
  }

  /**
   * The visibility query: a pipeline run's workflow type, the pipeline, the status. The pipeline
   * matches by workflow ID prefix, and also by {@code SluicePipeline} when the namespace has it:
   * runs started before the attribute was registered carry only their ID. The prefix over-matches
   * (pipeline {@code a} also finds {@code a-eu}); {@link #isRunOf} filters the answer exactly.
   */
  static String query(String pipeline, WorkflowExecutionStatus status, boolean attributes) {
    List<String> terms = new ArrayList<>();
    terms.add(
        "WorkflowType IN ("
            + WORKFLOW_TYPES.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "))
            + ")");
    if (pipeline != null) {
      String byId =
          "WorkflowId STARTS_WITH '" + quote(ScheduleDefinitions.workflowIdBase(pipeline)) + "'";
      terms.add(
          attributes
              ? "("
                  + SearchAttributes.PIPELINE.getName()
                  + " = '"
                  + quote(pipeline)
                  + "' OR "
                  + byId
                  + ")"
              : byId);
    }
    if (status != null) {
      terms.add("ExecutionStatus = '" + statusQueryValue(status) + "'");
    }
    return String.join(" AND ", terms);
  }

  /**
   * Whether {@code workflowId} is a run of {@code pipeline}: {@code ingest/<name>/<logical date>}
   * from {@code run}, {@code ingest/<name>-<scheduled time>} from a schedule.
   */
  static boolean isRunOf(String workflowId, String pipeline) {
    String base = ScheduleDefinitions.workflowIdBase(pipeline);
    if (workflowId.startsWith(base + "/")) {
      return true;
    }
    // A schedule appends "-<scheduled time>": a timestamp, not more of another pipeline's name.
    return workflowId.startsWith(base + "-")
        && SCHEDULED_SUFFIX.matcher(workflowId.substring(base.length() + 1)).matches();
  }

  /**
   * Lists through ListOpen/ListClosedWorkflowExecutions, which the Java test server implements
   * (without filters beyond a workflow ID, and without paging), and filters here.
   */
  static List<WorkflowExecutionMetadata> withoutVisibility(
      WorkflowClient client, String pipeline, WorkflowExecutionStatus status, int limit) {
    WorkflowServiceStubs service = client.getWorkflowServiceStubs();
    String namespace = client.getOptions().getNamespace();
    List<WorkflowExecutionInfo> all = new ArrayList<>();
    if (status == null || status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      ListOpenWorkflowExecutionsRequest.Builder open =
          ListOpenWorkflowExecutionsRequest.newBuilder()
              .setNamespace(namespace)
              .setMaximumPageSize(1000);
      do {
        ListOpenWorkflowExecutionsResponse page =
            service.blockingStub().listOpenWorkflowExecutions(open.build());
        all.addAll(page.getExecutionsList());
        open.setNextPageToken(page.getNextPageToken());
      } while (!open.getNextPageToken().isEmpty());
    }
    if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      ListClosedWorkflowExecutionsRequest.Builder closed =
          ListClosedWorkflowExecutionsRequest.newBuilder()
              .setNamespace(namespace)
              .setMaximumPageSize(1000);
      do {
        ListClosedWorkflowExecutionsResponse page =
            service.blockingStub().listClosedWorkflowExecutions(closed.build());
        all.addAll(page.getExecutionsList());
        closed.setNextPageToken(page.getNextPageToken());
      } while (!closed.getNextPageToken().isEmpty());
    }
    return all.stream()
        .map(info -> new WorkflowExecutionMetadata(info, client.getOptions().getDataConverter()))
        .filter(run -> WORKFLOW_TYPES.contains(run.getWorkflowType()))
        .filter(run -> pipeline == null || isRunOf(run.getExecution().getWorkflowId(), pipeline))
        .filter(run -> status == null || run.getStatus() == status)
        .sorted(Comparator.comparing(WorkflowExecutionMetadata::getStartTime).reversed())
        .limit(limit)
        .collect(Collectors.toList());
  }

  private static void print(PrintWriter out, List<WorkflowExecutionMetadata> runs) {
    if (runs.isEmpty()) {
      out.println("no runs");
      return;
    }
    int width = "ID".length();
    for (WorkflowExecutionMetadata run : runs) {
      width = Math.max(width, run.getExecution().getWorkflowId().length());
    }
    String format = "%-" + width + "s  %-15s  %-20s  %s%n";
    out.printf(format, "ID", "STATUS", "START", "CLOSE");
    for (WorkflowExecutionMetadata run : runs) {
      out.printf(
          format,
          run.getExecution().getWorkflowId(),
          statusName(run.getStatus()),
          time(run.getStartTime()),
          run.getCloseTime() == null ? "-" : time(run.getCloseTime()));
    }
  }

  private static String time(Instant t) {
    return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  /** {@code timed-out} for {@code WORKFLOW_EXECUTION_STATUS_TIMED_OUT}. */
  static String statusName(WorkflowExecutionStatus status) {
    return status
        .name()
        .replace("WORKFLOW_EXECUTION_STATUS_", "")
        .toLowerCase(Locale.ROOT)
        .replace('_', '-');
  }

  /**
   * The value visibility queries use: {@code TimedOut}, {@code ContinuedAsNew}, {@code Running}.
   */
  private static String statusQueryValue(WorkflowExecutionStatus status) {
    StringBuilder value = new StringBuilder();
    for (String word : statusName(status).split("-")) {
      value.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
    }
    return value.toString();
  }

  private static String quote(String value) {
    return value.replace("\\", "\\\\").replace("'", "\\'");
  }

  /** {@code running|completed|failed|canceled|terminated|timed-out} → the execution status. */
  static final class StatusConverter implements ITypeConverter<WorkflowExecutionStatus> {
    private static final List<WorkflowExecutionStatus> OFFERED =
        List.of(
            WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
            WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED,
            WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED,
            WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED,
            WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED,
            WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT);

    @Override
    public WorkflowExecutionStatus convert(String value) {
      for (WorkflowExecutionStatus s : OFFERED) {
        if (statusName(s).equals(value)) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "'"
              + value
              + "' is not one of "
              + OFFERED.stream().map(ListCommand::statusName).collect(Collectors.joining(", ")));
    }
  }
}
