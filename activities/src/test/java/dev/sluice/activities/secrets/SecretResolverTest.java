package dev.sluice.activities.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretResolverTest {
  private final SecretResolver resolver =
      new SecretResolver(Map.of("SF_SECRET", "s3cr3t")::get, "worker-7");

  @TempDir Path dir;

  @Test
  void givenEnvReference_whenResolved_thenTheVariableValueIsReturned() {
    assertThat(resolver.resolve("env:SF_SECRET")).isEqualTo("s3cr3t");
  }

  @Test
  void givenFileReference_whenResolved_thenContentWithoutTrailingNewlineIsReturned()
      throws IOException {
    Path file = Files.writeString(dir.resolve("token"), "abc\n");
    Path crlf = Files.writeString(dir.resolve("crlf"), "def\r\n");

    assertThat(resolver.resolve("file:" + file)).isEqualTo("abc");
    assertThat(resolver.resolve("file:" + crlf)).isEqualTo("def");
  }

  @Test
  void givenMissingEnvVar_whenResolved_thenNonRetryableFailureNamesReferenceAndHost() {
    assertThatThrownBy(() -> resolver.resolve("env:NOPE"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("SecretNotFound");
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage()).contains("${env:NOPE}").contains("worker-7");
            });
  }

  @Test
  void givenUnreadableFile_whenResolved_thenSecretNotFound() {
    assertThatThrownBy(() -> resolver.resolve("file:" + dir.resolve("missing")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("SecretNotFound");
              assertThat(f.getOriginalMessage()).contains("missing").contains("worker-7");
            });
  }

  @Test
  void givenReferenceKinds_whenChecked_thenOnlyEnvAndFileAreReferences() {
    assertThat(SecretResolver.isReference("env:X")).isTrue();
    assertThat(SecretResolver.isReference("file:/x")).isTrue();
    assertThat(SecretResolver.isReference("requestId")).isFalse();
  }
}
