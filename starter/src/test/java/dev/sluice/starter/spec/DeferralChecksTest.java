package dev.sluice.starter.spec;

import static dev.sluice.starter.spec.Fixtures.minimalPlus;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The top-level {@code defer} and {@code window} keys, through the loader. */
class DeferralChecksTest {
  private static final String DECLARED_COLUMNS =
      """
        columns:
          - {name: Id, type: string}
          - {name: Email, type: string}
      """;

  private final PipelineLoader loader = new PipelineLoader();

  private List<String> problemsOf(String yaml) {
    return Fixtures.problemsOf(loader, yaml);
  }

  @Test
  void givenDeferOnDeclaredColumns_whenLoaded_thenAccepted() {
    String yaml =
        minimalPlus(
            DECLARED_COLUMNS + "defer: {requiredFields: [Email], key: [Id], retention: 3d}\n");

    assertThat(problemsOf(yaml)).isEmpty();
  }

  @Test
  void givenEmptyRequiredFields_whenLoaded_thenRejectedBecauseNoRowWouldEverBeDeferred() {
    String yaml = minimalPlus("defer: {requiredFields: []}\n");

    assertThat(problemsOf(yaml))
        .containsExactly("defer.requiredFields: must list at least one item");
  }

  @Test
  void givenNoRequiredFields_whenLoaded_thenRequired() {
    String yaml = minimalPlus("defer: {key: [Id]}\n");

    assertThat(problemsOf(yaml)).containsExactly("defer: missing required key 'requiredFields'");
  }

  @Test
  void givenZeroRetention_whenLoaded_thenMustBePositive() {
    String yaml = minimalPlus("defer: {requiredFields: [Email], retention: 0d}\n");

    assertThat(problemsOf(yaml)).containsExactly("defer.retention: must be positive (found 0d)");
  }

  @Test
  void givenRequiredFieldNotDeclared_whenColumnsAreDeclared_thenRejectedWithSuggestion() {
    String yaml = minimalPlus(DECLARED_COLUMNS + "defer: {requiredFields: [Emial]}\n");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "defer.requiredFields[0]: 'Emial' is not a declared column (did you mean 'Email'?):"
                + " when sink.columns is given, the columns deferral reads must be declared there");
  }

  @Test
  void givenKeyNotDeclared_whenColumnsAreDeclared_thenRejected() {
    String yaml =
        minimalPlus(DECLARED_COLUMNS + "defer: {requiredFields: [Email], key: [Id, AccountId]}\n");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "defer.key[1]: 'AccountId' is not a declared column: when sink.columns is given, the"
                + " columns deferral reads must be declared there");
  }

  @Test
  void givenDeferWithInferredColumns_whenLoaded_thenAnyNameIsAccepted() {
    String yaml = minimalPlus("defer: {requiredFields: [Email], key: [Id]}\n");

    assertThat(problemsOf(yaml)).isEmpty();
  }

  @Test
  void givenDeferPathWithUnsupportedScheme_whenLoaded_thenRejectedLikeASinkPath() {
    String yaml = minimalPlus("defer: {requiredFields: [Email], path: 'gs://lake/deferred'}\n");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "defer.path: unsupported scheme 'gs:'; use a path relative to this file, or a file:,"
                + " hdfs: or s3a: URI");
  }

  @Test
  void givenRepeatedRequiredField_whenLoaded_thenRejected() {
    String yaml = minimalPlus("defer: {requiredFields: [Email, Email]}\n");

    assertThat(problemsOf(yaml)).containsExactly("defer.requiredFields: 'Email' is listed twice");
  }

  @Test
  void givenZeroWindow_whenLoaded_thenMustBePositive() {
    assertThat(problemsOf(minimalPlus("window: 0h\n")))
        .containsExactly("window: must be positive (found 0h)");
  }

  @Test
  void givenMalformedWindow_whenLoaded_thenDurationFormsNamed() {
    assertThat(problemsOf(minimalPlus("window: daily\n")))
        .containsExactly(
            "window: must be a duration such as 250ms, 5s, 10m, 2h, 1d or ISO-8601 PT5M (found"
                + " 'daily')");
  }
}
