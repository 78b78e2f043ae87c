package dev.sluice.workers.codec;

import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns payload encryption on for a Temporal client when {@code SLUICE_CODEC_KEY_ID} is set.
 *
 * <p>Every client of a namespace whose payloads are encrypted must use the same codec: the worker
 * to read inputs and write results, the CLI to start runs and read their results, the dev stack.
 * Each builds its {@link WorkflowClientOptions} through {@link #configure}.
 */
public final class PayloadEncryption {
  private PayloadEncryption() {}

  /**
   * The codec configured by the environment (see {@link CodecKeys#fromEnvironment}).
   *
   * @return empty when {@code SLUICE_CODEC_KEY_ID} is not set
   * @throws IllegalArgumentException when it is set but the keys are missing or malformed
   */
  public static Optional<AesGcmPayloadCodec> fromEnvironment(Map<String, String> env) {
    return CodecKeys.fromEnvironment(env).map(AesGcmPayloadCodec::new);
  }

  /**
   * Temporal's default JSON/protobuf converter with {@code codec} applied to every payload. Failure
   * messages and stack traces are encrypted too ({@code encodeFailureAttributes}): they often quote
   * the data being processed. The server then shows them as "Encoded failure"; the SDK and a codec
   * server decode them.
   */
  public static DataConverter dataConverter(AesGcmPayloadCodec codec) {
    return new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(codec), true);
  }

  /**
   * Sets the encrypting data converter on {@code options} when {@code codec} is present; leaves
   * them untouched otherwise.
   *
   * @return {@code options}, for chaining
   */
  public static WorkflowClientOptions.Builder configure(
      WorkflowClientOptions.Builder options, Optional<AesGcmPayloadCodec> codec) {
    codec.ifPresent(c -> options.setDataConverter(dataConverter(c)));
    return options;
  }

  /**
   * One line for logs and banners: whether payloads are encrypted, and with which key. Never key
   * material.
   */
  public static String describe(Optional<AesGcmPayloadCodec> codec) {
    return codec
        .map(
            c ->
                "payloads encrypted with AES-256-GCM, active key '"
                    + c.keys().activeKeyId()
                    + "' (decrypts "
                    + String.join(", ", c.keys().keyIds())
                    + ")")
        .orElse(
            "payloads not encrypted (set " + CodecKeys.ACTIVE_KEY_VARIABLE + " to encrypt them)");
  }
}
