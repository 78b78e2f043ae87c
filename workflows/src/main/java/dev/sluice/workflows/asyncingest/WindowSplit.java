package dev.sluice.workflows.asyncingest;

import dev.sluice.pipeline.SplitSpec;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.Messages.StatusResult;
import dev.sluice.workflows.common.DurationText;
import dev.sluice.workflows.common.Windows;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Automatic splitting of an async-ingest window ({@code source.split}), the parent's side. The
 * run's first job covers the whole window as always; when it fails with an error matching {@code
 * split.when}, or its ready result is over {@code split.maxRows}/{@code maxBytes}, the window is
 * halved and each half runs as a {@link SplitJobWorkflow} child, one after the other. A child that
 * needs splitting itself fails with {@link #SPLIT_NEEDED} and is replaced by its two halves, down
 * to {@code split.minWindow}. The parts stage into directories of the run's staging and the run
 * commits them together, once. Workflow code; a pipeline without {@code split} never gets here.
 */
final class WindowSplit {
  /** The failure type of a part that must be split further. */
  static final String SPLIT_NEEDED = "SplitNeeded";

  private final AsyncRun run;
  private final SplitSpec spec;
  private final List<AsyncIngestResult.SplitPart> parts = new ArrayList<>();
  private SubWindow running;

  private WindowSplit(AsyncRun run) {
    this.run = run;
    this.spec = run.source.split();
  }

  /** The run's split, or null when its pipeline has no {@code source.split}. */
  static WindowSplit of(AsyncRun run) {
    return run.source.split() == null ? null : new WindowSplit(run);
  }

  /**
   * Waits for the run's first job with {@code untilReady}; returns why the window must be split,
   * or null when the job's result is taken as it is. Without a split ({@code split} null) this is
   * {@code untilReady} alone.
   */
  static String firstJob(WindowSplit split, Supplier<StatusResult> untilReady) {
    if (split == null) {
      untilReady.get();
      return null;
    }
    StatusResult ready;
    try {
      ready = untilReady.get();
    } catch (TemporalFailure e) {
      String reason = reason(split.spec, e);
      if (reason == null) {
        throw e;
      }
      return reason;
    }
    return overLimit(split.spec, ready);
  }

  /**
   * Why failure {@code e} of a job asks for a split ({@code split.when} found in its messages), or
   * null. A cancellation or a wait that timed out never does: the run is over.
   */
  static String reason(SplitSpec spec, TemporalFailure e) {
    if (spec.when() == null
        || e instanceof CanceledFailure
        || (e instanceof ApplicationFailure a
            && FailureType.WAIT_TIMEOUT.type().equals(a.getType()))) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t instanceof TemporalFailure f ? f.getOriginalMessage() : t.getMessage();
      if (message != null && !message.isEmpty()) {
        text.append(text.length() == 0 ? "" : ": ").append(message);
      }
    }
    return Pattern.compile(spec.when()).matcher(text).find() ? text.toString() : null;
  }

  /** Why a ready result is too large for one job, or null (a size missing is never too large). */
  static String overLimit(SplitSpec spec, StatusResult ready) {
    if (spec.maxRows() != null
        && ready.resultRows() != null
        && ready.resultRows() > spec.maxRows()) {
      return "the result has "
          + ready.resultRows()
          + " rows, more than split.maxRows ("
          + spec.maxRows()
          + ")";
    }
    Long maxBytes = spec.maxBytesValue();
    if (maxBytes != null && ready.resultBytes() != null && ready.resultBytes() > maxBytes) {
      return "the result has "
          + ready.resultBytes()
          + " bytes, more than split.maxBytes ("
          + spec.maxBytes()
          + ")";
    }
    return null;
  }

  /** The failure a part raises when it must be split further. */
  static ApplicationFailure splitNeeded(String reason) {
    return ApplicationFailure.newNonRetryableFailure(reason, SPLIT_NEEDED);
  }

  /**
   * Stages the window part by part, {@code whole}'s range halved as long as a part needs it, and
   * returns everything staged as one extract result (file names relative to the run's staging).
   *
   * @param whole the first job's state: its watermark range, and what the window re-reads
   * @param reason why the first job's result was not taken
   * @throws ApplicationFailure {@code ProviderJobFailed} naming the smallest part, when a part of
   *     {@code split.minWindow} still needs splitting; a part's own failure as it raised it
   */
  ExtractResult extractParts(WaitState whole, String reason) {
    boolean watermarkRange = run.watermarkColumn() != null;
    SubWindow range =
        watermarkRange
            ? new SubWindow(whole.watermark(), whole.watermarkEnd())
            : new SubWindow(run.windowStart, run.logicalDate);
    // What an unsplit extract keeps (see AsyncRun.extractRequest); a part keeps its own share.
    String keepFrom = whole.windowed() && watermarkRange ? whole.watermark() : null;
    String keepTo = whole.windowed() && whole.replaced() != null ? whole.replaced().to() : null;
    Deque<SubWindow> todo = new ArrayDeque<>();
    todo.add(range);
    String why = reason;
    List<SplitJobResult> staged = new ArrayList<>();
    while (!todo.isEmpty()) {
      SubWindow next = todo.pollFirst();
      if (why != null) {
        List<SubWindow> halves = next.halves(spec.minWindow());
        if (halves.isEmpty()) {
          throw smallest(next, why);
        }
        log(next, why);
        todo.addFirst(halves.get(1));
        todo.addFirst(halves.get(0));
        why = null;
        continue;
      }
      running = next;
      try {
        SplitJobResult part =
            child(next)
                .run(
                    SplitJobInput.newBuilder(run.spec)
                        .setLogicalDate(run.logicalDate)
                        .setVars(run.extra)
                        .setPart(next)
                        .setWatermarkRange(watermarkRange)
                        .setWatermark(watermarkRange ? next.from() : whole.watermark())
                        .setWatermarkEnd(watermarkRange ? next.to() : whole.watermarkEnd())
                        .setKeepFrom(watermarkRange ? next.from() : keepFrom)
                        .setKeepTo(ownsUpTo(watermarkRange, next, range, keepTo))
                        .build());
        staged.add(part);
        parts.add(
            new AsyncIngestResult.SplitPart(
                next.from(), next.to(), part.extracted().rows(), part.requestId()));
      } catch (ChildWorkflowFailure e) {
        if (e.getCause() instanceof ApplicationFailure a && SPLIT_NEEDED.equals(a.getType())) {
          why = a.getOriginalMessage();
          todo.addFirst(next);
        } else if (e.getCause() instanceof TemporalFailure cause) {
          throw cause;
        } else {
          throw e;
        }
      } finally {
        running = null;
      }
    }
    return sum(staged);
  }

  /** The parts staged so far, in range order. */
  List<AsyncIngestResult.SplitPart> parts() {
    return List.copyOf(parts);
  }

  /** The split's line in the run's details, or null before any split. */
  String progress() {
    if (parts.isEmpty() && running == null) {
      return null;
    }
    return parts.size()
        + (parts.size() == 1 ? " part" : " parts")
        + " staged"
        + (running == null ? "" : "; staging " + running.describe());
  }

  private SplitJobWorkflow child(SubWindow part) {
    return Workflow.newChildWorkflowStub(
        SplitJobWorkflow.class,
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(run.id + "/" + part.dirName())
            // A later run of the same window may split it the same way.
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            // A cancelled run cancels its part, which then aborts the part's provider job.
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
            .setStaticSummary("part " + part.describe())
            .build());
  }

  private void log(SubWindow halved, String why) {
    Workflow.getLogger(WindowSplit.class).info("splitting {}: {}", halved.describe(), why);
  }

  private ApplicationFailure smallest(SubWindow part, String why) {
    if (Windows.instant(part.from()) == null || Windows.instant(part.to()) == null) {
      return ApplicationFailure.newNonRetryableFailure(
          "cannot split "
              + part.describe()
              + ": both bounds must be instants (an incremental pipeline needs"
              + " incremental.openEnd); the job failed: "
              + why
              + "; nothing was published",
          FailureType.PROVIDER_JOB_FAILED.type());
    }
    return ApplicationFailure.newNonRetryableFailure(
        "split reached split.minWindow ("
            + DurationText.of(spec.minWindow())
            + "): the smallest window "
            + part.describe()
            + " still fails: "
            + why
            + "; nothing was published",
        FailureType.PROVIDER_JOB_FAILED.type());
  }

  /** A part of the watermark range keeps rows up to its end; the last one what the window does. */
  private static String ownsUpTo(
      boolean watermarkRange, SubWindow part, SubWindow whole, String to) {
    return watermarkRange && !part.to().equals(whole.to()) ? part.to() : to;
  }

  /** The parts' results as one, summed as the parts of a result in parts are. */
  private static ExtractResult sum(List<SplitJobResult> staged) {
    return ResultParts.sum(staged.stream().map(SplitJobResult::extracted).toList());
  }
}
