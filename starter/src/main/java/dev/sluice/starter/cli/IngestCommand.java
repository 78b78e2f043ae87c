package dev.sluice.starter.cli;

import dev.sluice.workflows.common.WorkflowIds;
import dev.sluice.workflows.fileingest.FileIngestInput;
import dev.sluice.workflows.fileingest.FileIngestRequests;
import dev.sluice.workflows.fileingest.FileIngestResult;
import dev.sluice.workflows.fileingest.FileIngestWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice ingest --uri URI --dataset NAME [--format F] [--lake URI] [--wait]}: asks the
 * workers to land one file in a dataset. The request is a {@code FileIngestWorkflow} on the task
 * queue; it waits there until a worker takes it, and survives the death of the worker that does.
 */
@Command(
    name = "ingest",
    description =
        "Ask the workers to ingest one file (any URI they can read) into a dataset as Parquet;"
            + " with --wait, follow it to the end.",
    mixinStandardHelpOptions = true)
public final class IngestCommand extends CliCommand {
  /** The workflow type, as the server names it. */
  static final String WORKFLOW_TYPE = FileIngestWorkflow.class.getSimpleName();

  @Mixin ConnectionOptions connection;
  @Mixin TaskQueueOption queue;

  @Option(
      names = "--uri",
      required = true,
      paramLabel = "URI",
      description =
          "The file: http(s)://, file://, hdfs://, s3a://… as the workers see it (a path without"
              + " a scheme is made absolute here, as file://). A .gz name is gunzipped.")
  String uri;

  @Option(
      names = "--dataset",
      required = true,
      paramLabel = "NAME",
      description = "The dataset: its table is <lake>/<NAME>; rows are appended.")
  String dataset;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "csv (with a header line), json (an array of objects) or ndjson (default: from the"
              + " file's extension: .csv, .json, .ndjson/.jsonl, each optionally .gz).")
  String format;

  @Option(
      names = "--lake",
      paramLabel = "URI",
      description =
          "Where datasets live (default: $SLUICE_LAKE, else file://<current directory>/lake). A"
              + " path is made absolute here: the workers never use this directory.",
      defaultValue = "${env:SLUICE_LAKE}")
  String lake;

  @Option(
      names = "--wait",
      description = "Wait until the file is ingested; print rows, files and where; exit 1 if not.")
  boolean await;

  @Override
  public Integer call() {
    PrintWriter out = out();
    PrintWriter err = err();
    FileIngestInput input;
    try {
      input = request(uri, dataset, format, lake, Path.of("").toAbsolutePath());
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return ExitCodes.INVALID_INPUT;
    }
    String id = WorkflowIds.fileIngest(input.dataset(), input.uri());
    return TemporalConnection.call(
        connection, err, temporal -> requestAndFollow(temporal.client(), input, id, out, err));
  }

  private int requestAndFollow(
      WorkflowClient client, FileIngestInput input, String id, PrintWriter out, PrintWriter err) {
    WorkflowOptions options =
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(queue.taskQueue()).build();
    if (request(client, options, input)) {
      out.println(
          "requested "
              + id
              + " on task queue '"
              + queue.taskQueue()
              + "': "
              + input.uri()
              + " → "
              + input.tableUri());
    } else {
      out.println(
          "already requested: "
              + id
              + " is queued or running; it reads the file again once that ingest ends");
    }
    if (DetachNotice.notFollowing(out, id, await)) {
      return ExitCodes.OK;
    }
    WorkflowStub run =
        client.newUntypedWorkflowStub(id, Optional.empty(), Optional.of(WORKFLOW_TYPE));
    try (DetachNotice detach = DetachNotice.register(err, id)) {
      FileIngestResult result = run.getResult(FileIngestResult.class);
      out.println(summary(result));
      return ExitCodes.OK;
    } catch (WorkflowException e) {
      err.println("ingest " + id + " failed: " + RunWatcher.failureMessage(e));
      return ExitCodes.RUN_FAILED;
    }
  }

  /**
   * Starts the request; when the same file of the same dataset is already queued or running, tells
   * that request to read the file again once it ends instead (the file may have changed after it
   * was read). Returns whether a new request started.
   */
  private static boolean request(
      WorkflowClient client, WorkflowOptions options, FileIngestInput input) {
    for (int attempt = 0; ; attempt++) {
      try {
        FileIngestWorkflow workflow = client.newWorkflowStub(FileIngestWorkflow.class, options);
        WorkflowClient.start(workflow::ingest, input);
        return true;
      } catch (WorkflowExecutionAlreadyStarted e) {
        try {
          client.newWorkflowStub(FileIngestWorkflow.class, options.getWorkflowId()).askedAgain();
          return false;
        } catch (WorkflowNotFoundException ended) {
          // It ended between the two calls: start anew (once more at most).
          if (attempt > 0) {
            throw ended;
          }
        }
      }
    }
  }

  /** One line: rows, files, bytes and where. */
  static String summary(FileIngestResult result) {
    return "ingested "
        + result.rows()
        + " row"
        + (result.rows() == 1 ? "" : "s")
        + " from "
        + result.uri()
        + " into "
        + result.tableUri()
        + ": "
        + result.files().size()
        + " Parquet file"
        + (result.files().size() == 1 ? "" : "s")
        + ", "
        + Sizes.human(result.bytes())
        + " (read "
        + Sizes.human(result.sourceBytes())
        + ")";
  }

  /**
   * The request the flags make, every path made absolute against {@code cwd}.
   *
   * @throws IllegalArgumentException {@code --option: what is wrong}
   */
  static FileIngestInput request(String uri, String dataset, String format, String lake, Path cwd) {
    String datasetProblem = FileIngestRequests.datasetProblem(dataset);
    if (datasetProblem != null) {
      throw new IllegalArgumentException("--dataset: " + datasetProblem);
    }
    String fileUri = absolute("--uri", uri, cwd);
    String resolved;
    if (format != null) {
      resolved = format.toLowerCase(Locale.ROOT);
      if (!FileIngestRequests.FORMATS.contains(resolved)) {
        throw new IllegalArgumentException(
            "--format: '" + format + "' is not one of csv, json, ndjson");
      }
    } else {
      resolved = FileIngestRequests.formatOf(fileUri);
      if (resolved == null) {
        throw new IllegalArgumentException(
            "--format: the name of "
                + uri
                + " does not say its format (.csv, .json, .ndjson, .jsonl, optionally .gz);"
                + " give --format csv|json|ndjson");
      }
    }
    String lakeUri =
        lake == null || lake.isBlank()
            ? cwd.resolve("lake").toUri().toString()
            : absolute("--lake", lake, cwd);
    while (lakeUri.endsWith("/")) {
      lakeUri = lakeUri.substring(0, lakeUri.length() - 1);
    }
    return new FileIngestInput(fileUri, dataset, resolved, lakeUri + "/" + dataset);
  }

  /** {@code value} as an absolute URI: a URI with a scheme as it is, a path as {@code file:}. */
  private static String absolute(String option, String value, Path cwd) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(option + ": a URI or path is required");
    }
    String scheme;
    try {
      scheme = new URI(value).getScheme();
    } catch (URISyntaxException e) {
      scheme = null;
      if (value.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
        throw new IllegalArgumentException(
            option + ": '" + value + "' is not a valid URI: " + e.getReason());
      }
    }
    if (scheme != null && scheme.length() > 1) {
      return value;
    }
    try {
      return cwd.resolve(value).toAbsolutePath().normalize().toUri().toString();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(
          option + ": '" + value + "' is not a path: " + e.getReason());
    }
  }
}
