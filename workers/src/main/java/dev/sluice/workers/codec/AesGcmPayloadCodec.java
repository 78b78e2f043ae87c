package dev.sluice.workers.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts every payload with AES-256-GCM, so workflow inputs, results, heartbeat details, failure
 * details and memos are stored in Temporal as ciphertext.
 *
 * <p>An encrypted payload holds the whole original payload (its metadata too, so the encoding of
 * the value is hidden as well) as {@code IV (12 bytes) || ciphertext || tag (16 bytes)}, with a
 * fresh random IV per payload. Its metadata says {@code encoding: binary/encrypted}, the cipher,
 * and {@code encryption-key-id}: the active key's ID when it was written. Decoding uses the key
 * that metadata names, so payloads written before a key rotation stay readable as long as their key
 * is still configured. The key ID is also the GCM associated data, so it cannot be swapped without
 * failing authentication.
 *
 * <p>Payloads that are not {@code binary/encrypted} decode unchanged: histories written before
 * encryption was turned on stay readable. Thread-safe.
 */
public final class AesGcmPayloadCodec implements PayloadCodec {
  /** The {@code encoding} metadata value of an encrypted payload. */
  public static final String ENCODING = "binary/encrypted";

  /** Metadata naming the key a payload was encrypted with. */
  public static final String KEY_ID_METADATA = "encryption-key-id";

  /** Metadata naming the cipher (informational: only AES/GCM/NoPadding is written or read). */
  public static final String CIPHER_METADATA = "encryption-cipher";

  static final String CIPHER = "AES/GCM/NoPadding";
  static final int IV_BYTES = 12;
  static final int TAG_BITS = 128;
  private static final String ENCODING_METADATA = "encoding";

  private final CodecKeys keys;
  private final SecureRandom random = new SecureRandom();

  /** A codec encrypting with {@code keys.activeKeyId()} and decrypting with any of {@code keys}. */
  public AesGcmPayloadCodec(CodecKeys keys) {
    this.keys = keys;
  }

  /** The key ring this codec uses. */
  public CodecKeys keys() {
    return keys;
  }

  /**
   * Encrypts each payload with the active key.
   *
   * @throws PayloadCodecException when the JVM cannot encrypt (no AES-GCM provider)
   */
  @Override
  public List<Payload> encode(List<Payload> payloads) {
    return payloads.stream().map(this::encrypt).toList();
  }

  /**
   * Decrypts each {@code binary/encrypted} payload with the key its metadata names; passes others
   * through.
   *
   * @throws PayloadCodecException naming the key ID when that key is not configured, or when the
   *     payload fails authentication (tampered with, truncated, or encrypted with another key of
   *     the same ID)
   */
  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(this::decrypt).toList();
  }

  private Payload encrypt(Payload payload) {
    String keyId = keys.activeKeyId();
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    byte[] sealed;
    try {
      Cipher cipher = Cipher.getInstance(CIPHER);
      cipher.init(Cipher.ENCRYPT_MODE, keys.activeKey(), new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
      sealed = cipher.doFinal(payload.toByteArray());
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException(
          "cannot encrypt payload with codec key '" + keyId + "': " + e, e);
    }
    return Payload.newBuilder()
        .putMetadata(ENCODING_METADATA, utf8(ENCODING))
        .putMetadata(CIPHER_METADATA, utf8(CIPHER))
        .putMetadata(KEY_ID_METADATA, utf8(keyId))
        .setData(
            ByteString.copyFrom(
                ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array()))
        .build();
  }

  private Payload decrypt(Payload payload) {
    ByteString encoding = payload.getMetadataMap().get(ENCODING_METADATA);
    if (encoding == null || !encoding.toStringUtf8().equals(ENCODING)) {
      return payload;
    }
    ByteString keyIdBytes = payload.getMetadataMap().get(KEY_ID_METADATA);
    if (keyIdBytes == null) {
      throw new PayloadCodecException(
          "encrypted payload has no "
              + KEY_ID_METADATA
              + " metadata; it was not written by Sluice's codec");
    }
    String keyId = keyIdBytes.toStringUtf8();
    SecretKey key =
        keys.key(keyId)
            .orElseThrow(
                () ->
                    new PayloadCodecException(
                        "payload is encrypted with codec key '"
                            + printable(keyId)
                            + "', which is not configured here (configured: "
                            + String.join(", ", keys.keyIds())
                            + "); "
                            + CodecKeys.whereToAdd(printable(keyId))
                            + ". Keep retired keys until no history needs them."));
    byte[] data = payload.getData().toByteArray();
    if (data.length < IV_BYTES + TAG_BITS / 8) {
      throw new PayloadCodecException(
          "encrypted payload (codec key '"
              + printable(keyId)
              + "') is truncated: "
              + data.length
              + " bytes");
    }
    byte[] plain;
    try {
      Cipher cipher = Cipher.getInstance(CIPHER);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, IV_BYTES));
      cipher.updateAAD(keyIdBytes.toByteArray());
      plain = cipher.doFinal(data, IV_BYTES, data.length - IV_BYTES);
    } catch (AEADBadTagException e) {
      throw new PayloadCodecException(
          "encrypted payload failed authentication with codec key '"
              + printable(keyId)
              + "': it was altered, or encrypted with a different key under the same ID",
          e);
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException(
          "cannot decrypt payload with codec key '" + printable(keyId) + "': " + e, e);
    }
    try {
      return Payload.parseFrom(plain);
    } catch (InvalidProtocolBufferException e) {
      throw new PayloadCodecException(
          "payload decrypted with codec key '" + printable(keyId) + "' is not a Temporal payload",
          e);
    }
  }

  /** Metadata comes from storage: show at most 64 printable characters of it in messages. */
  private static String printable(String s) {
    String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
    return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
