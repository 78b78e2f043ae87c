package dev.sluice.workflows.batchwindow;

import static dev.sluice.workflows.common.Failures.rootMessage;
import static dev.sluice.workflows.common.Failures.rootType;

import dev.sluice.pipeline.LakeTable;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.batchwindow.WindowJournal.ActionOutcome;
import dev.sluice.workflows.batchwindow.WindowJournal.Load;
import dev.sluice.workflows.batchwindow.WindowMessages.FilesRequest;
import dev.sluice.workflows.batchwindow.WindowMessages.FilesResult;
import dev.sluice.workflows.batchwindow.WindowMessages.JournalRequest;
import dev.sluice.workflows.batchwindow.WindowMessages.LoadedRequest;
import dev.sluice.workflows.batchwindow.WindowMessages.SourceFile;
import dev.sluice.workflows.batchwindow.WindowMessages.StageRequest;
import dev.sluice.workflows.batchwindow.WindowMessages.StageResult;
import dev.sluice.workflows.batchwindow.WindowMessages.WebhookRequest;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.common.Delivery;
import dev.sluice.workflows.common.Failures;
import dev.sluice.workflows.common.Landing;
import dev.sluice.workflows.common.RunDetails;
import dev.sluice.workflows.common.Stubs;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;

/**
 * See {@link BatchWindowWorkflow}. Deterministic: every effect is an activity, a child or a timer.
 */
public final class BatchWindowWorkflowImpl implements BatchWindowWorkflow {
  private static final Logger log = Workflow.getLogger(BatchWindowWorkflowImpl.class);

  /** Fixed width, so window IDs of a route sort by time as text too. */
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** This window's files, each once, in arrival order. */
  private final Set<String> files = new LinkedHashSet<>();

  /** Files that arrived after this window closed: the next window's. */
  private final Set<String> next = new LinkedHashSet<>();

  /** Until {@code run} reads the route, a signal delivered ahead of it is taken unbounded. */
  private int maxFiles = Integer.MAX_VALUE;

  private boolean closed;
  private String routeName;
  private String stage = "WAITING";
  private String windowId;
  private String openedAt;
  private String closesAt;

  /** Why this window's load failed, or null. */
  private TemporalFailure loadFailure;

  @Override
  public WindowJournal run(WindowInput input) {
    Route route = input.route();
    routeName = route.name();
    maxFiles = route.maxFiles();
    input.carried().forEach(this::accept);
    // Signal-with-start puts the first file's signal in the first workflow task, so this returns at
    // once; it only waits for a window started without one.
    Workflow.await(() -> !files.isEmpty());

    long opened = Workflow.currentTimeMillis();
    windowId = route.name() + "-" + ID_TIME.format(Instant.ofEpochMilli(opened));
    openedAt = Instant.ofEpochMilli(opened).toString();
    closesAt = Instant.ofEpochMilli(opened + route.window().toMillis()).toString();
    enter("OPEN");
    Workflow.await(route.window(), () -> files.size() >= maxFiles);
    // From here on, signals go to the next window: this one's file list is what gets loaded.
    closed = true;
    String closedAt = Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
    List<String> batch = List.copyOf(files);

    WindowJournal journal = process(route, batch, closedAt);
    enter("JOURNALING");
    String journalProblem = writeJournal(route, journal);

    if (!next.isEmpty()) {
      // Checked in the same workflow task that would complete the run: a signal that arrives after
      // it makes the server refuse the completion, and the workflow sees the signal and lands here.
      // A window whose load failed hands its late files on too (failing would drop them): its
      // execution ends continued-as-new, never completed, and its journal says FAILED.
      log.info("window {} done; {} files wait for the next window", windowId, next.size());
      Workflow.continueAsNew(new WindowInput(route, List.copyOf(next)));
    }
    if (loadFailure != null) {
      // The execution's status is the window's record when its journal is not: never "completed".
      throw windowFailed(journal, journalProblem);
    }
    return journal;
  }

  @Override
  public void fileArrived(FileArrival arrival) {
    accept(arrival.uri());
  }

  @Override
  public WindowView window() {
    return new WindowView(
        routeName, windowId, stage, openedAt, closesAt, List.copyOf(files), List.copyOf(next));
  }

  /** Moves to {@code name} and shows it in the run's current details. */
  private void enter(String name) {
    stage = name;
    RunDetails.of(stage)
        .line("Window", windowId)
        .line("Closes at", closed ? null : closesAt)
        .count("Files", files.size())
        .count("Files for the next window", next.size())
        .show();
  }

  private void accept(String uri) {
    if (files.contains(uri) || next.contains(uri)) {
      return; // a repeated notification
    }
    if (!closed && files.size() < maxFiles) {
      files.add(uri);
    } else {
      next.add(uri);
    }
  }

  /** Loads the window, then runs the deferred actions: the success ones, or the failure one. */
  private WindowJournal process(Route route, List<String> batch, String closedAt) {
    LakeTable table = route.sink().lakeTable();
    String key = RunKeys.of(windowId);
    String staging = RunKeys.staging(table, key);
    enter("LOADING");
    Load load;
    try {
      load = load(route, key, table, staging, batch);
    } catch (ActivityFailure | ChildWorkflowFailure e) {
      loadFailure = e;
      String error = rootMessage(e);
      String discarded = Landing.discardStaging(table, staging);
      if (discarded != null) {
        error += "; " + discarded;
      }
      log.warn("window {} failed to load: {}", windowId, error);
      enter("ACTING");
      List<ActionOutcome> actions = new ArrayList<>();
      if (route.onFailure() != null) {
        actions.add(act(route.onFailure(), batch, null));
      }
      return journal(route, WindowJournal.FAILED, closedAt, batch, null, actions, error);
    }

    enter("ACTING");
    Set<String> present = new LinkedHashSet<>(batch);
    load.missing().forEach(present::remove);
    List<String> acted = List.copyOf(present);
    List<ActionOutcome> actions = new ArrayList<>();
    for (WindowAction action : route.onSuccess()) {
      WindowJournal soFar =
          journal(route, WindowJournal.LOADED, closedAt, batch, load, actions, null);
      actions.add(act(action, acted, soFar));
    }
    boolean allOk = actions.stream().allMatch(ActionOutcome::ok);
    return journal(
        route,
        allOk ? WindowJournal.LOADED : WindowJournal.LOADED_ACTIONS_FAILED,
        closedAt,
        batch,
        load,
        actions,
        null);
  }

  /**
   * Stages every file as Parquet, sends the staged files as one platform batch for a platform sink,
   * then publishes them to the table in one commit.
   */
  private Load load(
      Route route, String key, LakeTable table, String staging, List<String> batch) {
    StageResult staged =
        Stubs.summarized(
                LandingFileActivities.class,
                ActivityProfiles.LONG_TRANSFER,
                "read " + batch.size() + " files of window " + windowId)
            .stageWindowFiles(new StageRequest(key, batch, route.format(), table, staging));
    List<String> missing =
        staged.sources().stream().filter(SourceFile::missing).map(SourceFile::uri).toList();
    List<String> alreadyLoaded =
        staged.sources().stream().filter(f -> f.loadedBy() != null).map(SourceFile::uri).toList();
    if (staged.files().isEmpty()) {
      // Every file was empty, gone or loaded before: nothing to send, nothing to publish.
      Landing.discardStaging(table, staging);
      return new Load(0, 0, table.path(), List.of(), null, missing, alreadyLoaded);
    }
    String batchId = null;
    PlatformBatchSink sink = route.sink().destination().orElse(null);
    if (sink != null) {
      batchId =
          Delivery.forward(
                  sink,
                  "window/" + windowId,
                  "send window " + windowId + " to dataset " + sink.datasetId(),
                  new Delivery.Staged(staging, staged.files()),
                  key)
              .batchId();
    }
    // Not a detached commit: a window is never cancelled, it runs to its journal.
    PublishResult published =
        Landing.publish(new PublishRequest(key, table, staging, staged.files(), null, null));
    // Added after windows were first recorded: a file notified again after its window loaded it
    // (storage events arrive at least once) is then skipped instead of loaded twice.
    if (Workflow.getVersion("record-loaded-files", Workflow.DEFAULT_VERSION, 1) >= 1) {
      landingFiles("record the files of window " + windowId + " as loaded")
          .recordLoaded(new LoadedRequest(table, windowId, staged.sources()));
    }
    return new Load(
        staged.rows(),
        published.bytes(),
        published.tableUri(),
        published.files(),
        batchId,
        missing,
        alreadyLoaded);
  }

  /** Runs one deferred action; its failure (after retries) is its outcome, never the window's. */
  private ActionOutcome act(WindowAction action, List<String> uris, WindowJournal summary) {
    try {
      return switch (action.type()) {
        case WindowAction.DELETE -> {
          FilesResult r =
              landingFiles("delete " + uris.size() + " files of window " + windowId)
                  .deleteFiles(new FilesRequest(uris, null));
          yield new ActionOutcome(action.type(), action.target(), true, counts(r));
        }
        case WindowAction.MOVE -> {
          FilesResult r =
              landingFiles(
                      "move " + uris.size() + " files of window " + windowId + " to " + action.to())
                  .moveFiles(new FilesRequest(uris, action.to()));
          yield new ActionOutcome(action.type(), action.target(), true, counts(r));
        }
        case WindowAction.WEBHOOK -> {
          int status =
              Stubs.summarized(
                      WebhookActivities.class,
                      ActivityProfiles.SHORT_CALL,
                      "call the webhook of window " + windowId)
                  .postWindowSummary(new WebhookRequest(action.url(), action.headers(), summary))
                  .httpStatus();
          yield new ActionOutcome(action.type(), action.target(), true, "HTTP " + status);
        }
          // The routes loader admits no other type; a route recorded by a newer version might.
        default ->
            new ActionOutcome(
                action.type(), action.target(), false, "unknown action '" + action.type() + "'");
      };
    } catch (ActivityFailure e) {
      String message = rootMessage(e);
      log.warn("{} of window {} failed: {}", action.type(), windowId, message);
      return new ActionOutcome(action.type(), action.target(), false, message);
    }
  }

  private static String counts(FilesResult r) {
    int total = r.done() + r.alreadyDone();
    String text = total == 1 ? "1 file" : total + " files";
    if (r.alreadyDone() > 0) {
      text += " (" + r.alreadyDone() + " already done)";
    }
    return r.missing() == 0 ? text : text + "; " + r.missing() + " not found";
  }

  private WindowJournal journal(
      Route route,
      String outcome,
      String closedAt,
      List<String> batch,
      Load load,
      List<ActionOutcome> actions,
      String error) {
    return new WindowJournal(
        windowId,
        route.name(),
        outcome,
        openedAt,
        closedAt,
        Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString(),
        batch,
        load,
        actions,
        error);
  }

  /**
   * Writes the journal; a failure to keep it is logged, and named in the window's failure if the
   * load failed too, never the window's outcome.
   *
   * @return why the journal could not be written, or null
   */
  private String writeJournal(Route route, WindowJournal journal) {
    String uri = journalUri(route.sink().lakeTable(), windowId);
    String problem =
        Failures.problemOf(
            () ->
                Stubs.summarized(
                        WindowJournalActivities.class,
                        ActivityProfiles.SINK_CALL,
                        "journal to " + uri)
                    .writeWindowJournal(new JournalRequest(uri, journal)));
    if (problem != null) {
      log.error("the journal of window {} could not be written: {}", windowId, problem);
    }
    return problem;
  }

  /**
   * The workflow's failure for a window whose load failed: the load's message and type (as pipeline
   * runs report theirs), with what else went wrong, and the journal as its details, so the failure
   * is on record even where the journal could not be written.
   */
  private ApplicationFailure windowFailed(WindowJournal journal, String journalProblem) {
    StringBuilder message =
        new StringBuilder("window " + windowId + " failed to load: " + journal.error());
    for (ActionOutcome action : journal.actions()) {
      if (!action.ok()) {
        message.append("; ").append(action.type()).append(" failed: ").append(action.detail());
      }
    }
    if (journalProblem != null) {
      message.append("; its journal could not be written: ").append(journalProblem);
    }
    return ApplicationFailure.newNonRetryableFailureWithCause(
        message.toString(), rootType(loadFailure), loadFailure, journal);
  }

  /** {@code <table>/_sluice/windows/<windowId>.json}. */
  public static String journalUri(LakeTable table, String windowId) {
    return journalDir(table) + "/" + windowId + ".json";
  }

  /** {@code <table>/_sluice/windows}: every window journal of a table. */
  public static String journalDir(LakeTable table) {
    return RunKeys.stateDir(table) + "/windows";
  }

  /** The landing's files, by calls that carry {@code summary}. */
  private static LandingFileActivities landingFiles(String summary) {
    return Stubs.summarized(LandingFileActivities.class, ActivityProfiles.SINK_CALL, summary);
  }
}
