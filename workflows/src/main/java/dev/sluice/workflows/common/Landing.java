package dev.sluice.workflows.common;

import static dev.sluice.workflows.common.Failures.rootMessage;
import static dev.sluice.workflows.common.Failures.rootType;

import dev.sluice.pipeline.LakeTable;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.Messages.DiscardRequest;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.Messages.WatermarkRequest;
import dev.sluice.workflows.activities.ParquetSinkActivities;
import dev.sluice.workflows.activities.WindowMessages;
import dev.sluice.workflows.batchegress.BatchEgressResult;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The commit protocol of every workflow that lands data, in one place (as sdk-java's {@code Saga}
 * owns compensation): the workflow stages its files, then
 *
 * <ol>
 *   <li>{@link #deliver}: applies the pipeline's deferral rule, and forwards what is staged to the
 *       sink's destination (a platform batch) when the sink has one, waiting until it is accepted;
 *   <li>{@link #commit}: publishes in a detached cancellation scope: once the commit starts it
 *       finishes, so a cancellation arriving meanwhile never leaves half a run in the table;
 *   <li>{@link #run}: on failure or cancellation, runs the workflow's clean-up exactly as every
 *       workflow did by hand: in a detached scope when cancelled (the run's own scope can no longer
 *       call out), and folds what could not be cleaned up into the run's failure.
 * </ol>
 *
 * <p>Where workflows differ, the difference is an option of the {@link Builder}, never a branch on
 * the workflow. Workflow code: deterministic, every effect an activity or a child workflow, and the
 * commands it emits are those each workflow emitted before it existed, in the same order.
 */
public final class Landing {

  /** A step of {@link #deliver} a workflow may show as its stage. */
  public enum Step {
    /** Applying the deferral rule; only for pipelines that have one. */
    DEFERRING,
    /** Forwarding to the sink's destination; only for sinks that forward. */
    SENDING,
    /** Delivered: the workflow builds its publish next. */
    PUBLISHING
  }

  /** The workflow's clean-up after a failure or a cancellation. */
  @FunctionalInterface
  public interface CleanUp {
    /**
     * Leaves nothing of the run behind. Never throws over the failure that brought us here.
     *
     * @param cause the run's failure (a {@link CanceledFailure} or the failure that arrived while
     *     the run was being cancelled, when {@code cancelled})
     * @param cancelled whether the run was cancelled: the clean-up then runs in a detached scope
     * @return what could not be cleaned up, to be named in the run's failure; empty when all went
     */
    List<String> run(TemporalFailure cause, boolean cancelled);
  }

  /**
   * What {@link #deliver} hands to the publish.
   *
   * @param staged what to publish: the run's staging, or what the deferral rule released
   * @param deferral the deferral's counts, or null when the pipeline defers nothing
   * @param egress the forwarded batch, or null when the sink does not forward or nothing was sent
   */
  public record Delivered(
      Delivery.Staged staged, DeferralResult deferral, BatchEgressResult egress) {

    /** The rows the publish lands: {@code staged} of them, or what the deferral released. */
    public long rows(long staged) {
      return deferral == null ? staged : deferral.rows();
    }
  }

  private final CleanUp cleanUp;
  private final Predicate<TemporalFailure> passThrough;
  private final Function<TemporalFailure, String> cancelledMessage;
  private final String problemsPrefix;
  private final Consumer<Step> onStep;
  private final PipelineSpec spec;
  private final LakeTable table;
  private final String windowId;
  private final String runKey;

  private Landing(Builder b) {
    this.cleanUp = b.cleanUp;
    this.passThrough = b.passThrough;
    this.cancelledMessage = b.cancelledMessage;
    this.problemsPrefix = b.problemsPrefix;
    this.onStep = b.onStep;
    this.spec = b.spec;
    this.table = b.table;
    this.windowId = b.windowId;
    this.runKey = b.runKey;
  }

  /** A landing whose failures and cancellations run {@code cleanUp}. */
  public static Builder newBuilder(CleanUp cleanUp) {
    return new Builder(cleanUp);
  }

  /** Options of a {@link Landing}; each default is what most workflows do. */
  public static final class Builder {
    private final CleanUp cleanUp;
    private Predicate<TemporalFailure> passThrough = e -> false;
    private Function<TemporalFailure, String> cancelledMessage =
        e -> "cancelled: " + rootMessage(e);
    private String problemsPrefix = "clean-up also failed: ";
    private Consumer<Step> onStep = step -> {};
    private PipelineSpec spec;
    private LakeTable table;
    private String windowId;
    private String runKey;

    private Builder(CleanUp cleanUp) {
      this.cleanUp = cleanUp;
    }

    /**
     * Failures the workflow has dealt with itself (say, a partial publish before it failed): {@link
     * #run} rethrows them as they are, before it asks whether the run is being cancelled. Default:
     * none.
     */
    public Builder passThrough(Predicate<TemporalFailure> failures) {
      this.passThrough = failures;
      return this;
    }

    /**
     * The message of the {@link CanceledFailure} thrown when a failure arrives while the run is
     * being cancelled (an activity or child cancelled with the run fails as {@code ActivityFailure}
     * or {@code ChildWorkflowFailure}). Default: {@code "cancelled: " + its root message}.
     */
    public Builder cancelledMessage(Function<TemporalFailure, String> message) {
      this.cancelledMessage = message;
      return this;
    }

    /**
     * What precedes the clean-up's problems in the run's failure message, after the failure's own
     * message and {@code "; "}. Default: {@code "clean-up also failed: "}.
     */
    public Builder problemsPrefix(String prefix) {
      this.problemsPrefix = prefix;
      return this;
    }

    /** Told of each step of {@link #deliver} as it starts (to show it as the stage). */
    public Builder onStep(Consumer<Step> onStep) {
      this.onStep = onStep;
      return this;
    }

    /**
     * What {@link #deliver} delivers for: the pipeline (its deferral rule and sink), the table the
     * run lands in, its window ({@code ingest/<pipeline>/<logical-date>}) and run key.
     */
    public Builder delivering(
        PipelineSpec spec, LakeTable table, String windowId, String runKey) {
      this.spec = spec;
      this.table = table;
      this.windowId = windowId;
      this.runKey = runKey;
      return this;
    }

    public Landing build() {
      return new Landing(this);
    }
  }

  /**
   * Runs the workflow's steps; on a failure or a cancellation runs the clean-up, then rethrows:
   * a cancellation as a {@link CanceledFailure}, a failure with what could not be cleaned up.
   */
  public <T> T run(Supplier<T> body) {
    try {
      return body.get();
    } catch (CanceledFailure e) {
      cleanUpDetached(e);
      throw e;
    } catch (TemporalFailure e) {
      if (passThrough.test(e)) {
        throw e;
      }
      if (CancellationScope.current().isCancelRequested()) {
        cleanUpDetached(e);
        throw new CanceledFailure(cancelledMessage.apply(e));
      }
      throw withProblems(e, cleanUp.run(e, false), problemsPrefix);
    }
  }

  /** The run's own scope is cancelled: its clean-up activities need a scope of their own. */
  private void cleanUpDetached(TemporalFailure cause) {
    Workflow.newDetachedCancellationScope(() -> cleanUp.run(cause, true)).run();
  }

  /**
   * Applies the pipeline's deferral rule to {@code staged}, if it has one; then, when the sink
   * forwards, sends what is left to its destination as one batch and waits until the platform
   * accepts it (see {@link Delivery#send}).
   *
   * @throws TemporalFailure when the deferral or the batch failed; a {@link CanceledFailure} when
   *     the run was cancelled meanwhile
   */
  public Delivered deliver(Delivery.Staged staged) {
    DeferralResult deferral = null;
    if (spec.defer() != null) {
      onStep.accept(Step.DEFERRING);
      Delivery.Deferred deferred = Delivery.defer(spec, table, runKey, staged);
      staged = deferred.staged();
      deferral = deferred.result();
    }
    BatchEgressResult egress = null;
    if (spec.sink().destination().isPresent()) {
      onStep.accept(Step.SENDING);
      egress = Delivery.send(spec, windowId, runKey, staged);
    }
    onStep.accept(Step.PUBLISHING);
    return new Delivered(staged, deferral, egress);
  }

  /**
   * The publish of what {@link #deliver} delivered: its staged files, under the pipeline's
   * deferral rule, with the watermark and window record the workflow worked out.
   *
   * @param watermarkColumn the column (or label) the table's watermark is kept under, or null
   * @param newWatermark the watermark to store, or null to leave it
   * @param commit the window's record, or null (a run that keeps no window ranges)
   * @param rows the rows the publish lands
   */
  public PublishRequest publishRequest(
      Delivered delivered,
      String watermarkColumn,
      String newWatermark,
      WindowMessages.WindowCommit commit,
      long rows) {
    return new PublishRequest(
        runKey,
        table,
        delivered.staged().stagingUri(),
        delivered.staged().files(),
        watermarkColumn,
        newWatermark,
        spec.defer(),
        commit,
        rows);
  }

  /**
   * Runs {@code step} (a publish, or the creation of something that must be cleaned up) in a
   * detached cancellation scope: once it starts it finishes, whatever cancellation arrives
   * meanwhile, and its result is returned.
   */
  public static <T> T commit(Supplier<T> step) {
    List<T> holder = new ArrayList<>(1);
    Workflow.newDetachedCancellationScope(() -> holder.add(step.get())).run();
    return holder.get(0);
  }

  /** The table's stored watermark, or null when it has none. */
  public static String readWatermark(LakeTable table) {
    return Stubs.summarized(
            ParquetSinkActivities.class,
            ActivityProfiles.SINK_CALL,
            "read the watermark of " + table.path())
        .readWatermark(new WatermarkRequest(table))
        .watermark();
  }

  /** Publishes staged files into their table (one commit); see {@link ParquetSinkActivities}. */
  public static PublishResult publish(PublishRequest request) {
    return Stubs.summarized(
            ParquetSinkActivities.class,
            ActivityProfiles.SINK_CALL,
            "publish to " + request.sink().path())
        .publish(request);
  }

  /**
   * Counter of publishes by {@code pipeline} and {@code outcome} ({@code published}, {@code
   * failed}); Prometheus: {@code sluice_publish_total}.
   */
  public static final String PUBLISH_METRIC = "sluice_publish";

  /**
   * Counts a publish of {@code spec}'s run. {@code Workflow.getMetricsScope()} records nothing
   * while a task is replayed, so a run rebuilt from history counts nothing twice.
   */
  public static void countPublish(PipelineSpec spec, String outcome) {
    Workflow.getMetricsScope()
        .tagged(java.util.Map.of("pipeline", spec.name(), "outcome", outcome))
        .counter(PUBLISH_METRIC)
        .inc(1);
  }

  /** Discards a run's staging; returns what went wrong, or null. Never throws. */
  public static String discardStaging(LakeTable table, String staging) {
    String problem =
        Failures.problemOf(
            () ->
                Stubs.summarized(
                        ParquetSinkActivities.class,
                        ActivityProfiles.SINK_CALL,
                        "discard staging " + staging)
                    .discardStaging(new DiscardRequest(table, staging)));
    return problem == null ? null : "discarding staging " + staging + " failed: " + problem;
  }

  /**
   * {@code e}, or when the clean-up left {@code problems} (or {@code e} is a failed child, which is
   * reported by its own message, as an activity's is) a non-retryable failure of its type whose
   * message is its root message and the problems, after {@code prefix}.
   */
  static TemporalFailure withProblems(TemporalFailure e, List<String> problems, String prefix) {
    if (problems.isEmpty() && !(e instanceof ChildWorkflowFailure)) {
      return e;
    }
    String message =
        problems.isEmpty()
            ? rootMessage(e)
            : rootMessage(e) + "; " + prefix + String.join("; ", problems);
    return ApplicationFailure.newNonRetryableFailureWithCause(message, rootType(e), e);
  }
}
