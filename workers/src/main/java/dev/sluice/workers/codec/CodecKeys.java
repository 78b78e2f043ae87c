package dev.sluice.workers.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys a process may encrypt and decrypt payloads with, by key ID, and the ID of the
 * one new payloads are encrypted with.
 *
 * <p>Keys come from a file named by {@code SLUICE_CODEC_KEYS_FILE} (JSON {@code {"id": "base64"}}
 * or a properties file {@code id=base64}) and from variables {@code SLUICE_CODEC_KEY_<ID>=base64};
 * {@code SLUICE_CODEC_KEY_ID} names the active key. Every key is 32 bytes, base64-encoded ({@code
 * openssl rand -base64 32}). Error messages name key IDs and where they came from, never key
 * material; {@link #toString()} prints IDs only.
 */
public final class CodecKeys {
  /** Names the active key; encryption is on when it is set. */
  public static final String ACTIVE_KEY_VARIABLE = "SLUICE_CODEC_KEY_ID";

  /** Path of a JSON or properties file of key ID → base64 key. */
  public static final String KEYS_FILE_VARIABLE = "SLUICE_CODEC_KEYS_FILE";

  /** Prefix of variables holding one key each: {@code SLUICE_CODEC_KEY_<ID>}. */
  public static final String KEY_VARIABLE_PREFIX = "SLUICE_CODEC_KEY_";

  /** AES-256. */
  static final int KEY_BYTES = 32;

  // Key IDs travel in payload metadata and error messages: keep them short and printable.
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final Map<String, SecretKey> keys;
  private final String activeKeyId;

  private CodecKeys(Map<String, SecretKey> keys, String activeKeyId) {
    this.keys = Collections.unmodifiableMap(new TreeMap<>(keys));
    this.activeKeyId = activeKeyId;
  }

  /**
   * A key ring from raw keys.
   *
   * @param keys key ID → 32-byte key
   * @param activeKeyId the key new payloads are encrypted with; must be one of {@code keys}
   * @throws IllegalArgumentException when an ID is not {@code [A-Za-z0-9._-]{1,64}}, a key is not
   *     32 bytes, or the active key is missing
   */
  public static CodecKeys of(Map<String, byte[]> keys, String activeKeyId) {
    Map<String, SecretKey> ring = new TreeMap<>();
    keys.forEach(
        (id, bytes) -> {
          checkId(id, "key");
          if (bytes.length != KEY_BYTES) {
            throw new IllegalArgumentException(
                "codec key '" + id + "' is " + bytes.length + " bytes; AES-256 needs " + KEY_BYTES);
          }
          ring.put(id, new SecretKeySpec(bytes.clone(), "AES"));
        });
    checkId(activeKeyId, ACTIVE_KEY_VARIABLE);
    if (!ring.containsKey(activeKeyId)) {
      throw new IllegalArgumentException(
          ACTIVE_KEY_VARIABLE
              + " names key '"
              + activeKeyId
              + "', but no such key is configured (known: "
              + (ring.isEmpty() ? "none" : String.join(", ", ring.keySet()))
              + "); "
              + whereToAdd(activeKeyId));
    }
    return new CodecKeys(ring, activeKeyId);
  }

  /**
   * Reads the keys from an environment map (usually {@code System.getenv()}).
   *
   * @return empty when {@code SLUICE_CODEC_KEY_ID} is unset or blank: payload encryption is off
   * @throws IllegalArgumentException when a key is not valid base64 of 32 bytes, the keys file
   *     cannot be read or parsed, the same ID has two different keys, or the active key is missing
   */
  public static Optional<CodecKeys> fromEnvironment(Map<String, String> env) {
    String active = env.get(ACTIVE_KEY_VARIABLE);
    if (active == null || active.isBlank()) {
      return Optional.empty();
    }
    Map<String, byte[]> keys = new TreeMap<>();
    String file = env.get(KEYS_FILE_VARIABLE);
    if (file != null && !file.isBlank()) {
      readFile(Path.of(file.trim()), keys);
    }
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (name.startsWith(KEY_VARIABLE_PREFIX) && !name.equals(ACTIVE_KEY_VARIABLE)) {
        String id = name.substring(KEY_VARIABLE_PREFIX.length());
        add(keys, id, decode(e.getValue(), id, name), name);
      }
    }
    return Optional.of(of(keys, active.trim()));
  }

  private static void readFile(Path file, Map<String, byte[]> into) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          KEYS_FILE_VARIABLE + ": cannot read " + file + " (" + e.getMessage() + ")", e);
    }
    String source = KEYS_FILE_VARIABLE + " " + file;
    // Sniff rather than trust the extension: a JSON object starts with '{', a properties file
    // cannot
    // meaningfully.
    if (text.stripLeading().startsWith("{")) {
      JsonNode root;
      try {
        root = new ObjectMapper().readTree(text);
      } catch (IOException e) {
        // Jackson's message may quote the document, and with it a key: say what is expected
        // instead.
        throw new IllegalArgumentException(
            source + ": not valid JSON (an object of key ID to base64 key)");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual()) {
          throw new IllegalArgumentException(
              source + ": key '" + e.getKey() + "' is not a base64 string");
        }
        add(into, e.getKey(), decode(e.getValue().asText(), e.getKey(), source), source);
      }
    } else {
      Properties props = new Properties();
      try {
        props.load(new StringReader(text));
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException(source + ": not a valid properties file (id=base64key)");
      }
      for (String id : new java.util.TreeSet<>(props.stringPropertyNames())) {
        add(into, id, decode(props.getProperty(id), id, source), source);
      }
    }
  }

  private static byte[] decode(String base64, String id, String source) {
    try {
      return Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": key '" + id + "' is not valid base64");
    }
  }

  private static void add(Map<String, byte[]> into, String id, byte[] key, String source) {
    checkId(id, source);
    byte[] earlier = into.putIfAbsent(id, key);
    if (earlier != null && !java.security.MessageDigest.isEqual(earlier, key)) {
      throw new IllegalArgumentException(
          "codec key '"
              + id
              + "' is defined twice with different values (second in "
              + source
              + ")");
    }
  }

  private static void checkId(String id, String source) {
    if (id == null || !KEY_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          source + ": key ID '" + id + "' must be 1-64 characters of A-Z a-z 0-9 . _ -");
    }
  }

  /**
   * How to configure key {@code id}: a variable when its name is one a shell accepts, else the
   * file.
   */
  static String whereToAdd(String id) {
    return id.matches("[A-Za-z0-9_]+")
        ? "set " + KEY_VARIABLE_PREFIX + id + " or add it to the file in " + KEYS_FILE_VARIABLE
        : "add it to the file in " + KEYS_FILE_VARIABLE;
  }

  /** The ID of the key new payloads are encrypted with. */
  public String activeKeyId() {
    return activeKeyId;
  }

  /** Every configured key ID, sorted. */
  public Set<String> keyIds() {
    return keys.keySet();
  }

  /** The active key. */
  SecretKey activeKey() {
    return keys.get(activeKeyId);
  }

  /** The key with this ID, if configured. */
  Optional<SecretKey> key(String id) {
    return Optional.ofNullable(keys.get(id));
  }

  /** Key IDs only; never key material. */
  @Override
  public String toString() {
    return "CodecKeys{active=" + activeKeyId + ", ids=" + keys.keySet() + "}";
  }
}
