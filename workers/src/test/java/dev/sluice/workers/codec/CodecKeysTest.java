package dev.sluice.workers.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodecKeysTest {
  static final String K1 = key(1);
  static final String K2 = key(2);

  @TempDir Path dir;

  /** A distinct, recognisable 32-byte key, base64. */
  static String key(int fill) {
    byte[] bytes = new byte[32];
    java.util.Arrays.fill(bytes, (byte) fill);
    bytes[0] = (byte) 0x5a;
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Test
  void givenNoActiveKeyId_whenReadingEnvironment_thenEncryptionIsOff() {
    assertThat(CodecKeys.fromEnvironment(Map.of("SLUICE_CODEC_KEY_k1", K1))).isEmpty();
    assertThat(CodecKeys.fromEnvironment(Map.of("SLUICE_CODEC_KEY_ID", " "))).isEmpty();
  }

  @Test
  void givenKeysInVariables_whenReadingEnvironment_thenEveryKeyByIdAndTheActiveOne() {
    CodecKeys keys =
        CodecKeys.fromEnvironment(
                Map.of(
                    "SLUICE_CODEC_KEY_ID",
                    "k2",
                    "SLUICE_CODEC_KEY_k1",
                    K1,
                    "SLUICE_CODEC_KEY_k2",
                    K2))
            .orElseThrow();

    assertThat(keys.activeKeyId()).isEqualTo("k2");
    assertThat(keys.keyIds()).containsExactly("k1", "k2");
    assertThat(keys.activeKey().getEncoded()).isEqualTo(Base64.getDecoder().decode(K2));
    assertThat(keys.toString()).doesNotContain(K1).doesNotContain(K2);
  }

  @Test
  void givenJsonKeysFile_whenReadingEnvironment_thenItsKeysJoinTheVariables() throws Exception {
    Path file = Files.writeString(dir.resolve("keys.json"), "{\"2026-01\": \"" + K1 + "\"}");

    CodecKeys keys =
        CodecKeys.fromEnvironment(
                Map.of(
                    "SLUICE_CODEC_KEY_ID",
                    "k2",
                    "SLUICE_CODEC_KEYS_FILE",
                    file.toString(),
                    "SLUICE_CODEC_KEY_k2",
                    K2))
            .orElseThrow();

    assertThat(keys.keyIds()).containsExactly("2026-01", "k2");
    assertThat(keys.key("2026-01").orElseThrow().getEncoded())
        .isEqualTo(Base64.getDecoder().decode(K1));
  }

  @Test
  void givenPropertiesKeysFile_whenReadingEnvironment_thenKeysById() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("keys.properties"),
            "# rotated 2026-02\nold=" + K1 + "\nnew = " + K2 + "\n");

    CodecKeys keys =
        CodecKeys.fromEnvironment(
                Map.of("SLUICE_CODEC_KEY_ID", "new", "SLUICE_CODEC_KEYS_FILE", file.toString()))
            .orElseThrow();

    assertThat(keys.keyIds()).containsExactly("new", "old");
    assertThat(keys.activeKey().getEncoded()).isEqualTo(Base64.getDecoder().decode(K2));
  }

  @Test
  void givenActiveKeyNotConfigured_whenReadingEnvironment_thenMessageNamesItAndWhereToPutIt() {
    assertThatThrownBy(
            () ->
                CodecKeys.fromEnvironment(
                    Map.of("SLUICE_CODEC_KEY_ID", "k9", "SLUICE_CODEC_KEY_k1", K1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'k9'")
        .hasMessageContaining("known: k1")
        .hasMessageContaining("SLUICE_CODEC_KEY_k9")
        .hasMessageNotContaining(K1);
  }

  @Test
  void givenShortKey_whenReadingEnvironment_thenMessageNamesKeyIdButNotTheKey() {
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);

    assertThatThrownBy(
            () ->
                CodecKeys.fromEnvironment(
                    Map.of("SLUICE_CODEC_KEY_ID", "k1", "SLUICE_CODEC_KEY_k1", shortKey)))
        .hasMessageContaining("'k1' is 16 bytes")
        .hasMessageNotContaining(shortKey);
  }

  @Test
  void givenKeyThatIsNotBase64_whenReadingEnvironment_thenMessageNamesKeyIdButNotTheValue() {
    assertThatThrownBy(
            () ->
                CodecKeys.fromEnvironment(
                    Map.of("SLUICE_CODEC_KEY_ID", "k1", "SLUICE_CODEC_KEY_k1", "not*base64!")))
        .hasMessageContaining("SLUICE_CODEC_KEY_k1: key 'k1' is not valid base64")
        .hasMessageNotContaining("not*base64!");
  }

  @Test
  void givenSameIdWithTwoDifferentKeys_whenReadingEnvironment_thenRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("keys.json"), "{\"k1\": \"" + K2 + "\"}");

    assertThatThrownBy(
            () ->
                CodecKeys.fromEnvironment(
                    Map.of(
                        "SLUICE_CODEC_KEY_ID",
                        "k1",
                        "SLUICE_CODEC_KEYS_FILE",
                        file.toString(),
                        "SLUICE_CODEC_KEY_k1",
                        K1)))
        .hasMessageContaining("'k1' is defined twice");
  }

  @Test
  void givenMalformedJsonFile_whenReadingEnvironment_thenMessageDoesNotQuoteItsContent()
      throws Exception {
    Path file = Files.writeString(dir.resolve("keys.json"), "{\"k1\": \"" + K1 + "\",,}");

    assertThatThrownBy(
            () ->
                CodecKeys.fromEnvironment(
                    Map.of("SLUICE_CODEC_KEY_ID", "k1", "SLUICE_CODEC_KEYS_FILE", file.toString())))
        .hasMessageContaining("not valid JSON")
        .hasMessageNotContaining(K1);
  }

  @Test
  void givenMissingKeysFile_whenReadingEnvironment_thenMessageNamesThePath() {
    Path missing = dir.resolve("nope.json");

    assertThatThrownBy(
            () ->
                CodecKeys.fromEnvironment(
                    Map.of(
                        "SLUICE_CODEC_KEY_ID", "k1", "SLUICE_CODEC_KEYS_FILE", missing.toString())))
        .hasMessageContaining("cannot read " + missing);
  }
}
