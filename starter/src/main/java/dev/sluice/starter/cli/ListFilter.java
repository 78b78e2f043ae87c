package dev.sluice.starter.cli;

import dev.sluice.workflows.batchwindow.BatchWindowWorkflow;
import dev.sluice.workflows.common.SearchAttributes;
import dev.sluice.workflows.fileingest.FileIngestWorkflow;
import dev.sluice.workflows.replay.ReplayWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowExecutionMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What {@code sluice list} asks for: pipeline, kind, stage, status and window, each optional. On a
 * server with visibility it becomes one query ({@link #query}); without, or for what a query cannot
 * say exactly (a name that extends another, a window in an ID), {@link #matches} decides.
 *
 * @param pipeline a pipeline name, or null
 * @param kind a {@link #KINDS} name, or null
 * @param stage a stage as the runs upsert it ({@code WAITING}), or null
 * @param status an execution status, or null
 * @param window a logical date as {@code run} writes it into the ID, or null
 */
record ListFilter(
    String pipeline, String kind, String stage, WorkflowExecutionStatus status, String window) {

  /**
   * Every shape a run can have, by kind name: a pipeline's runs ({@link RunKind}, named as their
   * {@code SluiceKind}), replays, ingest requests and batch windows. Workflow types, not {@code
   * SluiceKind}, select them: runs started before the attributes were registered carry none.
   */
  static final Map<String, String> KINDS = kinds();

  /** What a schedule appends to a workflow ID: "-" and the scheduled time. */
  private static final Pattern SCHEDULED_SUFFIX = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T.*");

  private static Map<String, String> kinds() {
    Map<String, String> kinds = new LinkedHashMap<>();
    for (RunKind k : RunKind.values()) {
      kinds.put(k.name().toLowerCase(Locale.ROOT).replace('_', '-'), k.workflowType());
    }
    kinds.put("replay", ReplayWorkflow.class.getSimpleName());
    kinds.put("file-ingest", FileIngestWorkflow.class.getSimpleName());
    kinds.put("batch-window", BatchWindowWorkflow.class.getSimpleName());
    return java.util.Collections.unmodifiableMap(kinds);
  }

  /** The kind name of a workflow type, or the type itself. */
  static String kindOf(String workflowType) {
    return KINDS.entrySet().stream()
        .filter(e -> e.getValue().equals(workflowType))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(workflowType);
  }

  /** The kind names, for messages and help. */
  static String kindNames() {
    return KINDS.keySet().stream().sorted().collect(Collectors.joining(", "));
  }

  /**
   * The visibility query. The pipeline matches by workflow ID prefix ({@code ingest/NAME},
   * {@code replay/NAME/}), and also by {@code SluicePipeline} when the namespace has it: runs
   * started before the attribute was registered carry only their ID. The prefix over-matches
   * (pipeline {@code a} also finds {@code a-eu}); {@link #matches} filters the answer exactly.
   * A stage needs {@code attributes}: only the attribute knows it.
   */
  String query(boolean attributes) {
    List<String> terms = new ArrayList<>();
    List<String> types = kind == null ? List.copyOf(KINDS.values()) : List.of(KINDS.get(kind));
    terms.add(
        "WorkflowType IN ("
            + types.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "))
            + ")");
    if (pipeline != null) {
      String byId =
          "WorkflowId STARTS_WITH '"
              + quote(ScheduleDefinitions.workflowIdBase(pipeline))
              + "' OR WorkflowId STARTS_WITH 'replay/"
              + quote(pipeline)
              + "/'";
      terms.add(
          "("
              + (attributes
                  ? SearchAttributes.PIPELINE.getName() + " = '" + quote(pipeline) + "' OR "
                  : "")
              + byId
              + ")");
    }
    if (stage != null && attributes) {
      terms.add(SearchAttributes.STAGE.getName() + " = '" + quote(stage) + "'");
    }
    if (status != null) {
      terms.add("ExecutionStatus = '" + statusQueryValue(status) + "'");
    }
    return String.join(" AND ", terms);
  }

  /** Whether {@code run} passes every filter, checked here (the exact form of the query). */
  boolean matches(WorkflowExecutionMetadata run) {
    String id = run.getExecution().getWorkflowId();
    return KINDS.containsValue(run.getWorkflowType())
        && (kind == null || KINDS.get(kind).equals(run.getWorkflowType()))
        && (pipeline == null || isRunOf(id, pipeline))
        && (status == null || run.getStatus() == status)
        && (window == null || isOfWindow(id, window))
        && (stage == null || stage.equals(stageOf(run)));
  }

  /** The run's {@code SluiceStage}, or null when it carries none. */
  static String stageOf(WorkflowExecutionMetadata run) {
    try {
      return run.getTypedSearchAttributes().get(SearchAttributes.STAGE);
    } catch (RuntimeException e) {
      // Attributes the server returned in a form the SDK does not read: no stage.
      return null;
    }
  }

  /**
   * Whether {@code workflowId} is a run of {@code pipeline}: {@code ingest/<name>/<logical date>}
   * from {@code run} (and its units, {@code …/unit=<value>}), {@code ingest/<name>-<scheduled
   * time>} from a schedule, {@code replay/<name>/…} from {@code replay}.
   */
  static boolean isRunOf(String workflowId, String pipeline) {
    String base = ScheduleDefinitions.workflowIdBase(pipeline);
    if (workflowId.startsWith(base + "/") || workflowId.startsWith("replay/" + pipeline + "/")) {
      return true;
    }
    // A schedule appends "-<scheduled time>": a timestamp, not more of another pipeline's name.
    return workflowId.startsWith(base + "-")
        && SCHEDULED_SUFFIX.matcher(workflowId.substring(base.length() + 1)).matches();
  }

  /**
   * Whether {@code workflowId} is the run of the window {@code window} (a logical date): it ends
   * with {@code /<window>} ({@code run}), {@code -<window>} (a schedule's scheduled time), or is a
   * unit of such a run ({@code /<window>/unit=…}).
   */
  static boolean isOfWindow(String workflowId, String window) {
    return workflowId.endsWith("/" + window)
        || workflowId.endsWith("-" + window)
        || workflowId.contains("/" + window + "/unit=");
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
}
