package dev.sluice.workflows.asyncingest;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.ResultSpec;
import dev.sluice.workflows.activities.HttpJobActivities;
import dev.sluice.workflows.activities.Messages.ExtractRequest;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.PartMessages.PartRequest;
import dev.sluice.workflows.activities.PartMessages.PlanRequest;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.common.InFlight;
import dev.sluice.workflows.common.Stubs;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Step 3 of a result in parts ({@code extract.result} of type {@code urls} or {@code
 * partitions}): one activity counts the parts from a fresh status answer, then each part downloads
 * in its own activity, at most {@code maxParallel} at once, into the run's staging. Only the count
 * and the part indexes enter history, never a URL. The parts' results are summed into one {@link
 * ExtractResult}, which the run lands with one commit as it does a whole result.
 *
 * <p>A part that fails cancels the others and waits until they stopped (the extract profile waits
 * for cancellation to complete), so nothing writes into the staging the clean-up then discards;
 * the first failure is the run's. Workflow code: deterministic.
 */
final class ResultParts {
  private ResultParts() {}

  /** Whether the source's result comes in parts. */
  static boolean inParts(AsyncHttpSource source) {
    return source.extract().result() instanceof ResultSpec.Parts;
  }

  /**
   * The ready job's result into the run's staging: in parts ({@link #extract}), or whole by one
   * extract activity, whose command stays as recorded before results in parts existed.
   */
  static ExtractResult extractResult(AsyncRun run, ExtractRequest request) {
    if (inParts(run.source)) {
      return extract(run, request);
    }
    return Stubs.summarized(
            HttpJobActivities.class, ActivityProfiles.EXTRACT, "extract from " + run.provider)
        .extract(request);
  }

  /**
   * Counts the parts, then downloads every one into the run's staging.
   *
   * @param request the whole result's extract request: each part gets it with its index
   * @throws ActivityFailure the first part failure (the other parts cancelled), or the count's
   */
  static ExtractResult extract(AsyncRun run, ExtractRequest request) {
    ResultSpec.Parts spec = (ResultSpec.Parts) run.source.extract().result();
    int parts =
        Stubs.summarized(
                HttpJobActivities.class,
                ActivityProfiles.SHORT_CALL,
                "count the result's parts at " + run.provider)
            .planParts(new PlanRequest(request))
            .parts();
    ExtractResult[] done = new ExtractResult[parts];
    ActivityFailure[] failed = new ActivityFailure[1];
    CancellationScope scope =
        Workflow.newCancellationScope(
            () -> {
              InFlight<Integer, ExtractResult> inFlight = new InFlight<>();
              int next = 0;
              while (inFlight.size() > 0 || (next < parts && failed[0] == null)) {
                while (next < parts && failed[0] == null && inFlight.size() < spec.maxParallel()) {
                  int part = next++;
                  HttpJobActivities stub =
                      Stubs.summarized(
                          HttpJobActivities.class,
                          ActivityProfiles.EXTRACT,
                          "extract part " + (part + 1) + " of " + parts + " from " + run.provider);
                  inFlight.add(
                      part, Async.function(stub::extractPart, new PartRequest(request, part)));
                }
                inFlight.awaitAny(
                    new InFlight.Ended<>() {
                      @Override
                      public void succeeded(Integer part, ExtractResult result) {
                        done[part] = result;
                      }

                      @Override
                      public void failed(Integer part, ActivityFailure failure) {
                        if (failed[0] == null) {
                          failed[0] = failure;
                          // The others stop; their cancellations end the loop.
                          CancellationScope.current().cancel();
                        }
                      }
                    });
              }
            });
    scope.run();
    if (failed[0] != null) {
      throw failed[0];
    }
    return sum(Arrays.asList(done));
  }

  /** The parts' results as one: counts summed, files in part order, the highest watermark. */
  static ExtractResult sum(List<ExtractResult> parts) {
    long rows = 0;
    long bytes = 0;
    int pages = 0;
    long dropped = 0;
    String max = null;
    List<String> files = new ArrayList<>();
    for (ExtractResult part : parts) {
      rows += part.rows();
      bytes += part.bytes();
      pages += part.pages();
      dropped += part.droppedRows();
      files.addAll(part.files());
      max = higher(max, part.maxWatermark());
    }
    return new ExtractResult(rows, bytes, List.copyOf(files), pages, max, dropped);
  }

  /**
   * The higher of two watermarks as the source wrote them: as numbers when both are, as instants
   * when both are ISO-8601 date-times with an offset, else as text.
   */
  static String higher(String a, String b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    int order;
    try {
      order = new BigDecimal(a).compareTo(new BigDecimal(b));
    } catch (NumberFormatException notNumbers) {
      try {
        order = OffsetDateTime.parse(a).toInstant().compareTo(OffsetDateTime.parse(b).toInstant());
      } catch (DateTimeParseException notInstants) {
        order = a.compareTo(b);
      }
    }
    return order >= 0 ? a : b;
  }
}
