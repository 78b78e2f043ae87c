package dev.sluice.starter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
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
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code sluice list}: recent runs of every shape, newest first. On a server with a visibility
 * store this is one visibility query ({@link ListFilter#query}); the embedded dev server
 * (Temporal's test server) has no query API, so there it lists the server's open and closed
 * executions and filters them here.
 */
@Command(
    name = "list",
    description =
        "List runs, newest first: ID, kind, status, stage, start and close time, duration, rows.",
    mixinStandardHelpOptions = true)
public final class ListCommand extends CliCommand {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Mixin ConnectionOptions connection;

  @Option(names = "--pipeline", paramLabel = "NAME", description = "Only runs of this pipeline.")
  String pipeline;

  @Option(
      names = "--kind",
      paramLabel = "KIND",
      converter = KindConverter.class,
      description =
          "Only runs of this shape: async-ingest, platform-ingest, file-download, work-units,"
              + " replay, file-ingest (sluice ingest) or batch-window.")
  String kind;

  @Option(
      names = "--stage",
      paramLabel = "STAGE",
      description =
          "Only runs in this stage (their SluiceStage): submitting, waiting, extracting, …")
  String stage;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      converter = StatusConverter.class,
      description =
          "Only runs in this state: running, completed, failed, canceled, terminated, timed-out.")
  WorkflowExecutionStatus status;

  @Option(
      names = "--window",
      paramLabel = "WHEN",
      description =
          "Only the runs of this window: the logical date (an ISO instant or date) or a"
              + " schedule's scheduled time.")
  String window;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "20",
      description = "At most this many runs (default: ${DEFAULT-VALUE}).")
  int limit;

  @Mixin OutputOption output;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = out();
    PrintWriter err = err();
    if (limit < 1) {
      err.println("--limit must be at least 1");
      return ExitCodes.INVALID_INPUT;
    }
    ListFilter filter;
    try {
      filter =
          new ListFilter(
              pipeline,
              kind,
              stage == null ? null : stage.trim().toUpperCase(Locale.ROOT).replace('-', '_'),
              status,
              window == null ? null : PipelineRuns.logicalDate(window));
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage().replace("--logical-date", "--window"));
      return ExitCodes.INVALID_INPUT;
    }
    return TemporalConnection.call(
        connection, err, temporal -> list(temporal.client(), filter, out, err));
  }

  private int list(WorkflowClient client, ListFilter filter, PrintWriter out, PrintWriter err)
      throws JsonProcessingException {
    List<WorkflowExecutionMetadata> runs;
    try {
      boolean attributes =
          (pipeline != null || stage != null) && PipelineRuns.searchAttributesRegistered(client);
      if (stage != null && !attributes) {
        err.println(
            "--stage needs Sluice's search attributes on namespace '"
                + connection.namespace()
                + "' (a worker registers them at start)");
        return ExitCodes.INVALID_INPUT;
      }
      runs =
          client
              .listExecutions(filter.query(attributes))
              .filter(filter::matches)
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
      runs = withoutVisibility(client, filter, limit);
    }
    Instant now = Instant.now();
    List<ListedRun> rows = runs.stream().map(run -> ListedRun.of(client, run, now)).toList();
    if (output.json()) {
      out.println(JSON.writeValueAsString(json(rows)));
    } else {
      print(out, rows);
    }
    return ExitCodes.OK;
  }

  /**
   * Lists through ListOpen/ListClosedWorkflowExecutions, which the Java test server implements
   * (without filters beyond a workflow ID, and without paging), and filters here.
   */
  static List<WorkflowExecutionMetadata> withoutVisibility(
      WorkflowClient client, ListFilter filter, int limit) {
    WorkflowServiceStubs service = client.getWorkflowServiceStubs();
    String namespace = client.getOptions().getNamespace();
    WorkflowExecutionStatus status = filter.status();
    List<WorkflowExecutionInfo> all = new ArrayList<>();
    if (status == null || status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      all.addAll(
          allPages(
              token ->
                  service
                      .blockingStub()
                      .listOpenWorkflowExecutions(
                          ListOpenWorkflowExecutionsRequest.newBuilder()
                              .setNamespace(namespace)
                              .setMaximumPageSize(1000)
                              .setNextPageToken(token)
                              .build()),
              ListOpenWorkflowExecutionsResponse::getExecutionsList,
              ListOpenWorkflowExecutionsResponse::getNextPageToken));
    }
    if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      all.addAll(
          allPages(
              token ->
                  service
                      .blockingStub()
                      .listClosedWorkflowExecutions(
                          ListClosedWorkflowExecutionsRequest.newBuilder()
                              .setNamespace(namespace)
                              .setMaximumPageSize(1000)
                              .setNextPageToken(token)
                              .build()),
              ListClosedWorkflowExecutionsResponse::getExecutionsList,
              ListClosedWorkflowExecutionsResponse::getNextPageToken));
    }
    return all.stream()
        .map(info -> new WorkflowExecutionMetadata(info, client.getOptions().getDataConverter()))
        .filter(filter::matches)
        .sorted(Comparator.comparing(WorkflowExecutionMetadata::getStartTime).reversed())
        .limit(limit)
        .collect(Collectors.toList());
  }

  /** Every page of a listing: {@code page} fetches the one after a token (empty: the first). */
  private static <R> List<WorkflowExecutionInfo> allPages(
      Function<ByteString, R> page,
      Function<R, List<WorkflowExecutionInfo>> executions,
      Function<R, ByteString> nextToken) {
    List<WorkflowExecutionInfo> all = new ArrayList<>();
    ByteString token = ByteString.EMPTY;
    do {
      R response = page.apply(token);
      all.addAll(executions.apply(response));
      token = nextToken.apply(response);
    } while (!token.isEmpty());
    return all;
  }

  private static void print(PrintWriter out, List<ListedRun> runs) {
    if (runs.isEmpty()) {
      out.println("no runs");
      return;
    }
    int width = "ID".length();
    int kindWidth = "KIND".length();
    int stageWidth = "STAGE".length();
    for (ListedRun run : runs) {
      width = Math.max(width, run.id().length());
      kindWidth = Math.max(kindWidth, run.kind().length());
      stageWidth = Math.max(stageWidth, run.stage() == null ? 1 : run.stage().length());
    }
    String format =
        "%-" + width + "s  %-" + kindWidth + "s  %-10s  %-" + stageWidth
            + "s  %-20s  %-20s  %8s  %s%n";
    out.printf(format, "ID", "KIND", "STATUS", "STAGE", "START", "CLOSE", "DURATION", "ROWS");
    for (ListedRun run : runs) {
      out.printf(
          format,
          run.id(),
          run.kind(),
          run.status(),
          run.stage() == null ? "-" : run.stage().toLowerCase(Locale.ROOT),
          ListedRun.time(run.start()),
          ListedRun.time(run.close()),
          run.duration(),
          run.rows() == null ? "-" : run.rows().toString());
    }
  }

  private static ArrayNode json(List<ListedRun> runs) {
    ArrayNode array = JSON.createArrayNode();
    for (ListedRun run : runs) {
      ObjectNode o = array.addObject();
      o.put("id", run.id());
      o.put("runId", run.runId());
      o.put("kind", run.kind());
      o.put("status", run.status());
      o.put("stage", run.stage() == null ? null : run.stage().toLowerCase(Locale.ROOT));
      o.put("start", run.start().toString());
      o.put("close", run.close() == null ? null : run.close().toString());
      o.put("durationSeconds", run.durationSeconds());
      if (run.rows() == null) {
        o.putNull("rows");
      } else {
        o.put("rows", run.rows());
      }
    }
    return array;
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
        if (ListFilter.statusName(s).equals(value)) {
          return s;
        }
      }
      // A TypeConversionException is printed as it is: one line, no Java class names.
      throw new TypeConversionException(
          "'"
              + value
              + "' is not a status; use one of "
              + OFFERED.stream().map(ListFilter::statusName).collect(Collectors.joining(", ")));
    }
  }

  /** A {@link ListFilter#KINDS} name. */
  static final class KindConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (!ListFilter.KINDS.containsKey(value)) {
        throw new TypeConversionException(
            "'" + value + "' is not a kind; use one of " + ListFilter.kindNames());
      }
      return value;
    }
  }
}
