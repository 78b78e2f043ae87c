package dev.sluice.starter.cli;

import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.pipeline.PlatformBatchesSource;
import dev.sluice.workers.SearchAttributeRegistrar;
import dev.sluice.workflows.common.SearchAttributes;
import dev.sluice.workflows.common.TaskQueues;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Starts pipeline runs: how a pipeline becomes a workflow run ({@link RunKind} says which
 * workflow).
 */
public final class PipelineRuns {
  private PipelineRuns() {}

  /**
   * Starts a run of {@code spec} for {@code logicalDate} and returns its workflow ID. A finished
   * run of the same window may be run again (its outputs are overwritten, not duplicated); a run of
   * the same window still in progress is refused.
   *
   * @throws io.temporal.client.WorkflowExecutionAlreadyStarted when that window is running
   */
  public static String start(
      WorkflowClient client, String taskQueue, PipelineSpec spec, String logicalDate) {
    return startExecution(client, taskQueue, spec, logicalDate).getWorkflowId();
  }

  /**
   * As {@link #start}, returning the run's workflow and run IDs (e.g. for a Web UI link).
   *
   * @throws io.temporal.client.WorkflowExecutionAlreadyStarted when that window is running
   */
  public static WorkflowExecution startExecution(
      WorkflowClient client, String taskQueue, PipelineSpec spec, String logicalDate) {
    String id = TaskQueues.ingestWorkflowId(spec.name(), logicalDate);
    boolean visible = searchAttributesRegistered(client);
    WorkflowOptions.Builder options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(id)
            .setTaskQueue(taskQueue)
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .setMemo(memo(spec))
            .setStaticSummary(staticSummary(spec, logicalDate))
            .setStaticDetails(staticDetails(spec, logicalDate));
    if (visible) {
      options.setTypedSearchAttributes(SearchAttributes.atStart(spec));
    }
    RunKind kind = RunKind.of(spec);
    return client
        .newUntypedWorkflowStub(kind.workflowType(), options.build())
        .start(kind.input(spec, logicalDate, visible));
  }

  /**
   * Whether the client's namespace has the Sluice search attributes registered, so runs may carry
   * them: a start or upsert naming an unregistered attribute is rejected. False when the server
   * cannot say (the embedded test server does not list attributes).
   */
  public static boolean searchAttributesRegistered(WorkflowClient client) {
    try {
      return SearchAttributeRegistrar.registered(
              client.getWorkflowServiceStubs(), client.getOptions().getNamespace())
          .orElse(false);
    } catch (StatusRuntimeException e) {
      // Visibility is a nicety: a server that errs here still gets its run, without attributes.
      return false;
    }
  }

  /** What the Web UI shows of a run without opening its history: name, description, summary. */
  public static Map<String, Object> memo(PipelineSpec spec) {
    Map<String, Object> memo = new java.util.LinkedHashMap<>();
    memo.put("pipeline", spec.name());
    if (spec.description() != null) {
      memo.put("description", spec.description());
    }
    memo.put("summary", summary(spec));
    return memo;
  }

  /**
   * The Web UI's one-line summary of a run: {@code salesforce-contacts → file:///data/contacts,
   * window 2026-11-02}; a scheduled run's window is its scheduled time ({@code logicalDate} null).
   */
  public static String staticSummary(PipelineSpec spec, String logicalDate) {
    String sink = summary(spec);
    sink = sink.substring(sink.indexOf('\u2192') + 1).strip();
    return spec.name()
        + " \u2192 "
        + sink
        + ", window "
        + (logicalDate == null ? "the scheduled time" : logicalDate);
  }

  /** The Web UI's details of a run (markdown): what it reads, where it lands, which window. */
  public static String staticDetails(PipelineSpec spec, String logicalDate) {
    StringBuilder details = new StringBuilder();
    details.append("- **Pipeline:** ").append(spec.name()).append('\n');
    if (spec.description() != null) {
      details.append("- **Description:** ").append(spec.description().strip()).append('\n');
    }
    details.append("- **Kind:** ").append(RunKind.of(spec).workflowType()).append('\n');
    details.append("- **Reads → lands:** ").append(summary(spec)).append('\n');
    details
        .append("- **Window:** ")
        .append(logicalDate == null ? "the schedule's scheduled time" : logicalDate)
        .append('\n');
    return details.toString();
  }

  /**
   * {@code <provider host> → <sink>}, e.g. {@code login.salesforce.com → file:///data/contacts}; a
   * platform dataset reads {@code platform dataset <id>}.
   */
  static String summary(PipelineSpec spec) {
    String host = SearchAttributes.providerHost(spec);
    String source;
    if (spec.source() instanceof PlatformBatchesSource platform) {
      source = "platform dataset " + platform.datasetId();
    } else if (spec.source() instanceof dev.sluice.pipeline.FilesSource files) {
      source = host != null ? host : files.prefix() != null ? files.prefix() : "file listing";
    } else {
      source = host != null ? host : "async-http source";
    }
    String sink;
    if (spec.sink() instanceof PlatformBatchSink platform) {
      sink = "platform dataset " + platform.datasetId();
    } else {
      sink =
          spec.sink() instanceof ParquetSink parquet
              ? parquet.path()
              : spec.sink() == null ? "sink" : spec.sink().lakeTable().path();
    }
    return source + " \u2192 " + sink;
  }

  /**
   * The logical date of a run: the given one, checked, or now to the second (UTC).
   *
   * @throws IllegalArgumentException when it is neither an ISO instant nor an ISO date
   */
  public static String logicalDate(String given) {
    if (given == null) {
      return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
    try {
      return Instant.parse(given).toString();
    } catch (DateTimeParseException notInstant) {
      try {
        return LocalDate.parse(given).toString();
      } catch (DateTimeParseException notDate) {
        throw new IllegalArgumentException(
            "--logical-date: '"
                + given
                + "' is neither an ISO-8601 instant (2026-11-22T00:00:00Z) nor a date"
                + " (2026-11-22)");
      }
    }
  }
}
