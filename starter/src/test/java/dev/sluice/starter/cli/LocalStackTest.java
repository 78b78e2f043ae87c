package dev.sluice.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.workers.codec.AesGcmPayloadCodec;
import dev.sluice.workers.codec.PayloadEncryption;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What {@code dev}, {@code demo} and {@code server} start: with encryption on, the dev server's
 * Web UI gets a codec server of its own; the embedded server, which has no UI, gets none.
 */
class LocalStackTest {
  static final Optional<AesGcmPayloadCodec> CODEC =
      PayloadEncryption.fromEnvironment(
          Map.of(
              "SLUICE_CODEC_KEY_ID", "k1",
              "SLUICE_CODEC_KEY_k1", Base64.getEncoder().encodeToString(new byte[32])));

  @Test
  void givenEncryptionAndTheEmbeddedServer_whenStarted_thenNoUiCodecServer() {
    ServerCommand server = CliRun.parse("server", "--server", "embedded");

    try (LocalStack stack =
        server.server.startStack(0, 0, CODEC, new PrintWriter(new StringWriter()))) {
      assertThat(stack.uiCodec()).isNull();
      assertThat(stack.codecLine())
          .startsWith("payloads encrypted with AES-256-GCM, active key 'k1'")
          .doesNotContain("Web UI");
    }
  }
}
