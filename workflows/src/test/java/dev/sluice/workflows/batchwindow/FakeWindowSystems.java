package dev.sluice.workflows.batchwindow;

import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages;
import dev.sluice.workflows.activities.ParquetSinkActivities;
import dev.sluice.workflows.batchwindow.WindowMessages.FilesRequest;
import dev.sluice.workflows.batchwindow.WindowMessages.FilesResult;
import dev.sluice.workflows.batchwindow.WindowMessages.JournalRequest;
import dev.sluice.workflows.batchwindow.WindowMessages.JournalResult;
import dev.sluice.workflows.batchwindow.WindowMessages.LoadedRequest;
import dev.sluice.workflows.batchwindow.WindowMessages.LoadedResult;
import dev.sluice.workflows.batchwindow.WindowMessages.SourceFile;
import dev.sluice.workflows.batchwindow.WindowMessages.StageRequest;
import dev.sluice.workflows.batchwindow.WindowMessages.StageResult;
import dev.sluice.workflows.batchwindow.WindowMessages.WebhookRequest;
import dev.sluice.workflows.batchwindow.WindowMessages.WebhookResult;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Scripted source files, table, webhook and journal store. Every call is appended to {@link
 * #events} in the order it ran, so tests can say what happened before what.
 */
final class FakeWindowSystems
    implements LandingFileActivities,
        WebhookActivities,
        WindowJournalActivities,
        ParquetSinkActivities {
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<List<String>> staged = new CopyOnWriteArrayList<>();
  final List<WindowJournal> journals = new CopyOnWriteArrayList<>();
  final List<String> journalUris = new CopyOnWriteArrayList<>();
  final List<WindowJournal> webhookBodies = new CopyOnWriteArrayList<>();

  /** Files that do not exist (stage reports them missing). */
  final Set<String> missing = ConcurrentHashMap.newKeySet();

  /** When set, stage fails with this message (non-retryable MalformedData). */
  volatile String stageFailure;

  /** When set, only the next stage call fails, with this message (non-retryable MalformedData). */
  volatile String nextStageFailure;

  /** When set, every journal write fails with this message (non-retryable InvalidPipeline). */
  volatile String journalFailure;

  /** When set, the webhook answers this status (404: non-retryable). */
  volatile int webhookStatus = 200;

  /** Runs inside the next stage call, once: the test's chance to notify during the load. */
  volatile Runnable duringNextStage;

  /** Runs inside the next journal write, once: a notification racing the window's completion. */
  volatile Runnable duringNextJournal;

  @Override
  public StageResult stageWindowFiles(StageRequest request) {
    events.add("stage " + request.uris());
    Runnable hook = duringNextStage;
    duringNextStage = null;
    if (hook != null) {
      hook.run();
    }
    String once = nextStageFailure;
    nextStageFailure = null;
    if (stageFailure != null || once != null) {
      throw ApplicationFailure.newNonRetryableFailure(
          once != null ? once : stageFailure, FailureType.MALFORMED_DATA.type());
    }
    staged.add(List.copyOf(request.uris()));
    List<SourceFile> sources = new ArrayList<>();
    List<String> parts = new ArrayList<>();
    long rows = 0;
    for (String uri : request.uris()) {
      boolean gone = missing.contains(uri);
      sources.add(new SourceFile(uri, gone ? 0 : 10, gone));
      if (!gone) {
        rows += 10;
        parts.add("part-" + request.runKey() + "-" + parts.size() + ".parquet");
      }
    }
    return new StageResult(rows, rows * 100, parts, sources);
  }

  @Override
  public LoadedResult recordLoaded(LoadedRequest request) {
    events.add("loaded " + request.windowId());
    return new LoadedResult(request.files().size());
  }

  @Override
  public FilesResult deleteFiles(FilesRequest request) {
    events.add("delete " + request.uris());
    return new FilesResult(request.uris().size(), 0, 0);
  }

  @Override
  public FilesResult moveFiles(FilesRequest request) {
    events.add("move " + request.uris() + " to " + request.to());
    return new FilesResult(request.uris().size(), 0, 0);
  }

  @Override
  public WebhookResult postWindowSummary(WebhookRequest request) {
    events.add("webhook " + request.url());
    webhookBodies.add(request.summary());
    if (webhookStatus >= 400) {
      throw ApplicationFailure.newNonRetryableFailure(
          "POST " + request.url() + " answered HTTP " + webhookStatus,
          FailureType.HTTP_CLIENT_ERROR.type());
    }
    return new WebhookResult(webhookStatus);
  }

  @Override
  public JournalResult writeWindowJournal(JournalRequest request) {
    events.add("journal " + request.journal().windowId());
    Runnable hook = duringNextJournal;
    duringNextJournal = null;
    if (hook != null) {
      hook.run();
    }
    if (journalFailure != null) {
      throw ApplicationFailure.newNonRetryableFailure(
          journalFailure, FailureType.INVALID_PIPELINE.type());
    }
    journals.add(request.journal());
    journalUris.add(request.uri());
    return new JournalResult(request.uri());
  }

  @Override
  public Messages.WatermarkResult readWatermark(Messages.WatermarkRequest request) {
    throw new UnsupportedOperationException("windows keep no watermark");
  }

  @Override
  public Messages.PublishResult publish(Messages.PublishRequest request) {
    events.add("publish " + request.files());
    List<String> uris = new ArrayList<>();
    request.files().forEach(f -> uris.add(request.sink().path() + "/" + f));
    return new Messages.PublishResult(request.sink().path(), uris, request.files().size() * 1000L);
  }

  @Override
  public Messages.DeferralResult applyDeferral(Messages.DeferralRequest request) {
    throw new UnsupportedOperationException("windows defer nothing");
  }

  @Override
  public dev.sluice.workflows.activities.WindowMessages.OpenWindowResult openWindow(
      dev.sluice.workflows.activities.WindowMessages.OpenWindowRequest request) {
    return new dev.sluice.workflows.activities.WindowMessages.OpenWindowResult(
        null, null, false, null);
  }

  @Override
  public dev.sluice.workflows.activities.WindowMessages.FirstWindowResult firstWindow(
      dev.sluice.workflows.activities.WindowMessages.FirstWindowRequest request) {
    throw new UnsupportedOperationException("batch windows own no ranges");
  }

  @Override
  public dev.sluice.workflows.activities.WindowMessages.ReleaseWindowResult releaseWindow(
      dev.sluice.workflows.activities.WindowMessages.ReleaseWindowRequest request) {
    return new dev.sluice.workflows.activities.WindowMessages.ReleaseWindowResult(0);
  }

  @Override
  public Messages.DiscardResult discardStaging(Messages.DiscardRequest request) {
    events.add("discard " + request.stagingUri());
    return new Messages.DiscardResult(true);
  }

  /** The events starting with {@code prefix}, in order. */
  List<String> eventsStartingWith(String prefix) {
    return Collections.unmodifiableList(events.stream().filter(e -> e.startsWith(prefix)).toList());
  }
}
