package dev.sluice.activities.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.pipeline.SplitSpec;
import dev.sluice.pipeline.StatusSpec;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.StatusResult;
import org.junit.jupiter.api.Test;

/** The ready result's size at {@code split}'s pointers, read from the final status answer. */
class StatusSizesTest {
  private static final StatusSpec STATUS =
      new StatusSpec(
          null, "https://h/jobs/${requestId}", null, "/state", "^done$", "^failed$", null, null,
          null, null, null, null);
  private static final SplitSpec SPLIT =
      new SplitSpec(null, 10L, "1KB", "/result/rows", "/result/bytes", null);

  private final StatusClassifier classifier = new StatusClassifier(new ObjectMapper());

  @Test
  void givenReadyAnswerWithSizes_whenClassified_thenNumbersAndTextNumbersRead() {
    StatusResult ready =
        classifier.classify(
            STATUS, SPLIT, "{\"state\":\"done\",\"result\":{\"rows\":1234,\"bytes\":\"5678\"}}");

    assertThat(ready).isEqualTo(new StatusResult("done", Outcome.READY, null, 1234L, 5678L));
  }

  @Test
  void givenSizesMissingOrNotNumbers_whenClassified_thenUnknownNeverAFailure() {
    StatusResult ready =
        classifier.classify(STATUS, SPLIT, "{\"state\":\"done\",\"result\":{\"rows\":\"many\"}}");

    assertThat(ready.resultRows()).isNull();
    assertThat(ready.resultBytes()).isNull();
  }

  @Test
  void givenPendingOrNoSplit_whenClassified_thenNoSizes() {
    assertThat(classifier.classify(STATUS, SPLIT, "{\"state\":\"queued\",\"result\":{\"rows\":1}}"))
        .isEqualTo(new StatusResult("queued", Outcome.PENDING, null, null, null));
    assertThat(classifier.classify(STATUS, "{\"state\":\"done\",\"result\":{\"rows\":1}}"))
        .isEqualTo(new StatusResult("done", Outcome.READY, null, null, null));
  }
}
