package dev.sluice.starter.spec;

import static dev.sluice.starter.spec.Fixtures.minimalWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.SplitSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code source.split} and the window's day variables, through the loader. */
class SplitChecksTest {
  private static final String EXTRACT =
      "    url: https://api.example.com/exports/${requestId}/result\n";

  private final PipelineLoader loader = new PipelineLoader();

  private static String withSplit(String split) {
    return minimalWith(EXTRACT, EXTRACT + "  split:\n" + split);
  }

  private List<String> problemsOf(String yaml) {
    return Fixtures.problemsOf(loader, yaml);
  }

  @Test
  void givenSplitOnError_whenLoaded_thenTypedWithOneDayMinimum() throws Exception {
    AsyncHttpSource source =
        (AsyncHttpSource)
            loader
                .load(withSplit("    when: reduce the amount of data\n"), "t.yaml", Path.of("/p"))
                .spec()
                .source();

    assertThat(source.split())
        .isEqualTo(
            new SplitSpec(
                "reduce the amount of data", null, null, null, null, Duration.ofDays(1)));
  }

  @Test
  void givenLimitsWithoutPointers_whenLoaded_thenEachLimitNamesItsPointer() {
    assertThat(problemsOf(withSplit("    maxRows: 1000\n    maxBytes: 1GB\n")))
        .anySatisfy(p -> assertThat(p).contains("source.split.maxRows").contains("rowsPointer"))
        .anySatisfy(p -> assertThat(p).contains("source.split.maxBytes").contains("bytesPointer"));
  }

  @Test
  void givenSplitWithAResultInParts_whenLoaded_thenRefusedNamingBoth() {
    String parts =
        EXTRACT
            + "    result:\n"
            + "      type: partitions\n"
            + "      count: /resultSetMetaData/partitionInfo\n"
            + "      url: https://api.example.com/r/${requestId}?partition=${partition}\n";
    String yaml =
        minimalWith(EXTRACT, parts + "  split:\n    when: reduce the amount of data\n");

    assertThat(problemsOf(yaml))
        .anySatisfy(p -> assertThat(p).contains("source.split").contains("partitions"));
  }

  @Test
  void givenSplitWithASharedJobLimit_whenLoaded_thenRefusedNamingIt() {
    String yaml =
        minimalWith(
            EXTRACT,
            EXTRACT
                + "  split:\n    when: reduce the amount of data\n"
                + "  concurrency:\n    key: meta-acme\n    maxRunningJobs: 2\n");

    assertThat(problemsOf(yaml))
        .anySatisfy(p -> assertThat(p).contains("source.split").contains("source.concurrency"));
  }

  @Test
  void givenNothingToSplitOn_whenLoaded_thenRefused() {
    assertThat(problemsOf(withSplit("    minWindow: 1h\n")))
        .anySatisfy(
            p -> assertThat(p).contains("source.split").contains("when, maxRows or maxBytes"));
  }

  @Test
  void givenBadValues_whenLoaded_thenEachRefusedByName() {
    assertThat(problemsOf(withSplit("    when: \"(unclosed\"\n    minWindow: 0s\n")))
        .anySatisfy(p -> assertThat(p).contains("source.split.when"))
        .anySatisfy(p -> assertThat(p).contains("source.split.minWindow"));
    assertThat(problemsOf(withSplit("    when: x\n    rowsPointer: rows\n")))
        .anySatisfy(p -> assertThat(p).contains("source.split.rowsPointer"));
  }

  @Test
  void givenIncrementalWithoutOpenEnd_whenSplitting_thenAsksForAnUpperBound() {
    String yaml =
        withSplit("    when: x\n")
            + "incremental:\n  column: updated\n  initial: \"2026-01-01T00:00:00Z\"\n";
    assertThat(problemsOf(yaml))
        .anySatisfy(p -> assertThat(p).contains("source.split").contains("incremental.openEnd"));
  }

  @Test
  void givenWindowDays_whenUsedInSubmit_thenAccepted() {
    String yaml =
        minimalWith(
            "    url: https://api.example.com/exports\n",
            "    url: https://api.example.com/exports"
                + "?since=${windowFirstDay}&until=${windowLastDay}\n");
    assertThat(problemsOf(yaml)).isEmpty();
  }
}
