package dev.sluice.activities.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.activities.secrets.SecretResolver;
import io.temporal.failure.ApplicationFailure;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatesTest {
  private final SecretResolver secrets = new SecretResolver(Map.of("KEY", "k-123")::get, "w1");

  @Test
  void givenVariablesAndSecrets_whenRendered_thenAllAreSubstitutedLiterally() {
    String out =
        Templates.render(
            "/jobs/${requestId}?since=${watermark}&key=${env:KEY}",
            Map.of("requestId", "750R", "watermark", "2026-01-01T00:00:00Z"),
            secrets);

    assertThat(out).isEqualTo("/jobs/750R?since=2026-01-01T00:00:00Z&key=k-123");
  }

  @Test
  void givenNoPlaceholders_whenRendered_thenTemplateIsReturnedAsIs() {
    assertThat(Templates.render("plain $ text {}", Map.of(), secrets)).isEqualTo("plain $ text {}");
    assertThat(Templates.render(null, Map.of(), secrets)).isNull();
  }

  @Test
  void givenVariablePresentWithNullValue_whenRendered_thenItIsEmpty() {
    Map<String, String> vars = new HashMap<>();
    vars.put("watermark", null);

    assertThat(Templates.render("[${watermark}]", vars, secrets)).isEqualTo("[]");
  }

  @Test
  void givenUnknownVariable_whenRendered_thenInvalidPipelineListsKnownOnes() {
    assertThatThrownBy(
            () -> Templates.render("${reqestId}", Map.of("requestId", "1", "runId", "r"), secrets))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("InvalidPipeline");
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage())
                  .contains("${reqestId}")
                  .contains("[requestId, runId]");
            });
  }

  @Test
  void givenUnclosedPlaceholder_whenRendered_thenInvalidPipeline() {
    assertThatThrownBy(() -> Templates.render("a ${b", Map.of(), secrets))
        .isInstanceOfSatisfying(
            ApplicationFailure.class, f -> assertThat(f.getType()).isEqualTo("InvalidPipeline"));
  }

  @Test
  void givenMissingSecret_whenRendered_thenSecretNotFoundWithoutAnyValue() {
    assertThatThrownBy(() -> Templates.render("${env:OTHER}", Map.of(), secrets))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("SecretNotFound");
              assertThat(f.getOriginalMessage()).doesNotContain("k-123");
            });
  }
}
