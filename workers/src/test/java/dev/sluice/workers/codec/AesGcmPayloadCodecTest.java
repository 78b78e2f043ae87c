package dev.sluice.workers.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AesGcmPayloadCodecTest {
  static final String SECRET_TEXT = "contacts of ACME Corp, SystemModstamp > 2026-01-01";

  static CodecKeys ring(String active, Map<String, String> base64Keys) {
    Map<String, byte[]> raw = new java.util.TreeMap<>();
    base64Keys.forEach((id, k) -> raw.put(id, Base64.getDecoder().decode(k)));
    return CodecKeys.of(raw, active);
  }

  static Payload json(String text) {
    return DefaultDataConverter.STANDARD_INSTANCE.toPayload(text).orElseThrow();
  }

  static String text(Payload p) {
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(p, String.class, String.class);
  }

  final AesGcmPayloadCodec k1 = new AesGcmPayloadCodec(ring("k1", Map.of("k1", CodecKeysTest.K1)));

  @Test
  void givenPayload_whenEncodedThenDecoded_thenSamePayloadAndCiphertextHidesIt() {
    Payload original = json(SECRET_TEXT);

    Payload encoded = k1.encode(List.of(original)).get(0);

    assertThat(encoded.getMetadataMap().get("encoding").toStringUtf8())
        .isEqualTo("binary/encrypted");
    assertThat(encoded.getMetadataMap().get("encryption-key-id").toStringUtf8()).isEqualTo("k1");
    assertThat(encoded.getData().toString(StandardCharsets.ISO_8859_1))
        .doesNotContain("ACME")
        .doesNotContain("json/plain");
    // IV (12) + the serialized payload + tag (16).
    assertThat(encoded.getData().size()).isEqualTo(12 + original.getSerializedSize() + 16);
    assertThat(k1.decode(List.of(encoded))).containsExactly(original);
    assertThat(text(k1.decode(List.of(encoded)).get(0))).isEqualTo(SECRET_TEXT);
  }

  @Test
  void givenSamePayloadTwice_whenEncoded_thenFreshIvEachTime() {
    List<Payload> encoded = k1.encode(List.of(json(SECRET_TEXT), json(SECRET_TEXT)));

    assertThat(encoded.get(0).getData().substring(0, 12))
        .isNotEqualTo(encoded.get(1).getData().substring(0, 12));
    assertThat(encoded.get(0).getData()).isNotEqualTo(encoded.get(1).getData());
  }

  @Test
  void givenOneBitFlipped_whenDecoded_thenFailsAuthenticationNamingTheKeyId() {
    Payload encoded = k1.encode(List.of(json(SECRET_TEXT))).get(0);
    byte[] data = encoded.getData().toByteArray();
    data[data.length / 2] ^= 0x01;
    Payload tampered = encoded.toBuilder().setData(ByteString.copyFrom(data)).build();

    assertThatThrownBy(() -> k1.decode(List.of(tampered)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("failed authentication with codec key 'k1'");
  }

  @Test
  void givenKeyIdMetadataSwappedToAnotherKnownKey_whenDecoded_thenFailsAuthentication() {
    AesGcmPayloadCodec both =
        new AesGcmPayloadCodec(ring("k1", Map.of("k1", CodecKeysTest.K1, "k2", CodecKeysTest.K2)));
    Payload encoded = both.encode(List.of(json(SECRET_TEXT))).get(0);
    Payload relabelled =
        encoded.toBuilder().putMetadata("encryption-key-id", ByteString.copyFromUtf8("k2")).build();

    assertThatThrownBy(() -> both.decode(List.of(relabelled)))
        .hasMessageContaining("failed authentication with codec key 'k2'");
  }

  @Test
  void givenTruncatedCiphertext_whenDecoded_thenFailsNamingTheKeyId() {
    Payload encoded = k1.encode(List.of(json(SECRET_TEXT))).get(0);
    Payload truncated = encoded.toBuilder().setData(encoded.getData().substring(0, 20)).build();

    assertThatThrownBy(() -> k1.decode(List.of(truncated)))
        .hasMessageContaining("codec key 'k1'")
        .hasMessageContaining("truncated");
  }

  @Test
  void
      givenPayloadFromBeforeRotation_whenActiveKeyChanged_thenStillDecodesAndNewPayloadsUseTheNewKey() {
    Payload old = k1.encode(List.of(json(SECRET_TEXT))).get(0);
    AesGcmPayloadCodec rotated =
        new AesGcmPayloadCodec(ring("k2", Map.of("k1", CodecKeysTest.K1, "k2", CodecKeysTest.K2)));

    Payload fresh = rotated.encode(List.of(json("after rotation"))).get(0);

    assertThat(text(rotated.decode(List.of(old)).get(0))).isEqualTo(SECRET_TEXT);
    assertThat(fresh.getMetadataMap().get("encryption-key-id").toStringUtf8()).isEqualTo("k2");
    assertThat(text(rotated.decode(List.of(fresh)).get(0))).isEqualTo("after rotation");
  }

  @Test
  void givenPayloadUnderRetiredKey_whenDecoded_thenMessageNamesTheMissingKeyIdNeverAKey() {
    Payload old = k1.encode(List.of(json(SECRET_TEXT))).get(0);
    AesGcmPayloadCodec onlyK2 = new AesGcmPayloadCodec(ring("k2", Map.of("k2", CodecKeysTest.K2)));

    assertThatThrownBy(() -> onlyK2.decode(List.of(old)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining(
            "encrypted with codec key 'k1', which is not configured here (configured: k2)")
        .hasMessageContaining(
            "set SLUICE_CODEC_KEY_k1 or add it to the file in SLUICE_CODEC_KEYS_FILE")
        .hasMessageNotContaining(CodecKeysTest.K1)
        .hasMessageNotContaining(CodecKeysTest.K2);
  }

  @Test
  void givenRetiredKeyIdNoShellCanExport_whenDecoded_thenMessagePointsAtTheKeysFileOnly() {
    AesGcmPayloadCodec dated =
        new AesGcmPayloadCodec(ring("2026-01", Map.of("2026-01", CodecKeysTest.K1)));
    Payload old = dated.encode(List.of(json(SECRET_TEXT))).get(0);

    assertThatThrownBy(() -> k1.decode(List.of(old)))
        .hasMessageContaining("codec key '2026-01'")
        .hasMessageContaining("add it to the file in SLUICE_CODEC_KEYS_FILE")
        .hasMessageNotContaining("SLUICE_CODEC_KEY_2026-01");
  }

  @Test
  void givenPlainPayloadFromBeforeEncryption_whenDecoded_thenPassedThrough() {
    Payload plain = json(SECRET_TEXT);

    assertThat(k1.decode(List.of(plain))).containsExactly(plain);
  }

  @Test
  void givenEncryptingDataConverter_whenFailureConverted_thenMessageAndStackTraceAreEncrypted() {
    DataConverter converter = PayloadEncryption.dataConverter(k1);
    var failure =
        converter.exceptionToFailure(
            io.temporal.failure.ApplicationFailure.newFailure(
                "row 7 of " + SECRET_TEXT, "MALFORMED_DATA"));

    assertThat(failure.toString()).doesNotContain("ACME");
    assertThat(failure.getMessage()).isEqualTo("Encoded failure");
    assertThat(converter.failureToException(failure))
        .hasMessageContaining("row 7 of " + SECRET_TEXT);
  }
}
