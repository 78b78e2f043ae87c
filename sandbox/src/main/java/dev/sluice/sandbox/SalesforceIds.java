package dev.sluice.sandbox;

/**
 * Salesforce-shaped record IDs: a 3-character key prefix ({@code 003} Contact, {@code 750} job),
 * 12 base-62 digits of a number, then the real 3-character case-safe checksum suffix, 18 in all.
 */
final class SalesforceIds {

  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final String SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

  private SalesforceIds() {}

  /** The 18-character ID for {@code number} (distinct numbers give distinct IDs). */
  static String of(String keyPrefix, long number) {
    char[] digits = new char[12];
    long rest = number;
    for (int i = digits.length - 1; i >= 0; i--) {
      digits[i] = BASE62.charAt((int) (rest % 62));
      rest /= 62;
    }
    String id15 = keyPrefix + new String(digits);
    return id15 + checksum(id15);
  }

  /** Salesforce's suffix: per 5-character chunk, a bit per upper-case letter, as one character. */
  private static String checksum(String id15) {
    StringBuilder suffix = new StringBuilder(3);
    for (int chunk = 0; chunk < 3; chunk++) {
      int bits = 0;
      for (int i = 0; i < 5; i++) {
        if (Character.isUpperCase(id15.charAt(chunk * 5 + i))) {
          bits |= 1 << i;
        }
      }
      suffix.append(SUFFIX_ALPHABET.charAt(bits));
    }
    return suffix.toString();
  }
}
