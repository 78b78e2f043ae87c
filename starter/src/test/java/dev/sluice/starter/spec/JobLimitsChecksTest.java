package dev.sluice.starter.spec;

import static dev.sluice.starter.spec.Fixtures.minimalWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.BudgetSpec;
import dev.sluice.pipeline.ConcurrencySpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code source.concurrency} and {@code source.budget}, through the loader. */
class JobLimitsChecksTest {
  private static final String STATUS = "  status:\n";

  private final PipelineLoader loader = new PipelineLoader();

  private static String withLimits(String limits) {
    return minimalWith(STATUS, limits + STATUS);
  }

  private List<String> problemsOf(String limits) {
    return Fixtures.problemsOf(loader, withLimits(limits));
  }

  @Test
  void givenConcurrencyAndBudget_whenLoaded_thenBothReachTheSourceWithDefaults() throws Exception {
    String limits =
        """
          concurrency: {key: marketo-acme, maxRunningJobs: 2}
          budget: {key: marketo-acme, maxJobsPerDay: 10}
        """;

    AsyncHttpSource source =
        (AsyncHttpSource) loader.load(withLimits(limits), "t.yaml", Path.of("/p")).spec().source();

    assertThat(source.concurrency()).isEqualTo(new ConcurrencySpec("marketo-acme", 2));
    assertThat(source.budget()).isEqualTo(new BudgetSpec("marketo-acme", 10L, null, "wait"));
    assertThat(source.submit().requestId()).as("defaults still applied").isNotNull();
  }

  @Test
  void givenNoLimits_whenLoaded_thenNone() throws Exception {
    AsyncHttpSource source =
        (AsyncHttpSource)
            loader.load(Fixtures.read("minimal.yaml"), "t.yaml", Path.of("/p")).spec().source();

    assertThat(source.concurrency()).isNull();
    assertThat(source.budget()).isNull();
  }

  @Test
  void givenBadLimits_whenLoaded_thenEachIsNamedClearly() {
    assertThat(problemsOf("  concurrency: {key: marketo-acme, maxRunningJobs: 0}\n"))
        .singleElement()
        .asString()
        .contains("source.concurrency.maxRunningJobs");
    assertThat(problemsOf("  concurrency: {key: marketo acme, maxRunningJobs: 2}\n"))
        .singleElement()
        .asString()
        .contains("source.concurrency.key")
        .contains("such as marketo-acme");
    assertThat(problemsOf("  concurrency: {maxRunningJobs: 2}\n"))
        .singleElement()
        .asString()
        .contains("source.concurrency")
        .contains("key");
    assertThat(problemsOf("  budget: {key: k}\n"))
        .containsExactly(
            "source.budget: needs maxJobsPerDay, maxBytesPerDay or both: a budget without a limit"
                + " limits nothing");
    assertThat(problemsOf("  budget: {key: k, maxBytesPerDay: 10 GB}\n"))
        .singleElement()
        .asString()
        .contains("source.budget.maxBytesPerDay");
    assertThat(problemsOf("  budget: {key: k, maxJobsPerDay: 1, onExceeded: skip}\n"))
        .singleElement()
        .asString()
        .contains("source.budget.onExceeded")
        .contains("wait");
  }
}
