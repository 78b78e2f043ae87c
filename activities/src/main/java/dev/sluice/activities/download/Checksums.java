package dev.sluice.activities.download;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checksums as sources write them: hex or base64, of MD5, SHA-1 or SHA-256. */
final class Checksums {
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");

  private Checksums() {}

  /**
   * A new digest for {@code algorithm} ({@code md5}, {@code sha-1}, {@code sha-256}; case and a
   * missing dash do not matter).
   *
   * @throws IllegalArgumentException for another algorithm
   */
  static MessageDigest digest(String algorithm) {
    String a = algorithm.toLowerCase(Locale.ROOT).replace("-", "");
    String jca =
        switch (a) {
          case "md5" -> "MD5";
          case "sha1" -> "SHA-1";
          case "sha256" -> "SHA-256";
          default ->
              throw new IllegalArgumentException(
                  "checksum algorithm '" + algorithm + "' is not md5, sha-1 or sha-256");
        };
    try {
      return MessageDigest.getInstance(jca);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jca + " is part of every JRE", e);
    }
  }

  /**
   * The bytes {@code written} stands for: hex when it is hex of the digest's length, else base64.
   *
   * @throws IllegalArgumentException when it is neither
   */
  static byte[] decode(String written, int digestLength) {
    String w = written.trim();
    if (w.length() == digestLength * 2 && HEX.matcher(w).matches()) {
      return HexFormat.of().parseHex(w.toLowerCase(Locale.ROOT));
    }
    byte[] b = Base64.getDecoder().decode(w);
    if (b.length != digestLength) {
      throw new IllegalArgumentException(
          "'" + written + "' is not a " + digestLength + "-byte checksum in hex or base64");
    }
    return b;
  }

  /** Whether two written checksums are the same value (hex and base64 of it compare equal). */
  static boolean sameValue(String a, String b) {
    if (a.equalsIgnoreCase(b)) {
      return true;
    }
    for (int length : new int[] {16, 20, 32}) {
      try {
        if (MessageDigest.isEqual(decode(a, length), decode(b, length))) {
          return true;
        }
      } catch (IllegalArgumentException notThisLength) {
        // try the next length
      }
    }
    return false;
  }

  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }
}
