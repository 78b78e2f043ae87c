package dev.sluice.sandbox;

/**
 * Salesforce-shaped record IDs: a 3-character key prefix ({@code 003} Contact, {@code 750} job), 12
 * base-62 digits of a number, then the real 3-character case-safe checksum suffix, 18 in all.
 */
final class SalesforceIds {

  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final String SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

  private SalesforceIds() {}

  /** The 18-character ID for {@code number} (distinct numbers give distinct IDs). */
  static String of(String keyPrefix, long number) {
    return append(new StringBuilder(18), keyPrefix, number).toString();
  }

  /**
   * Appends the ID {@link #of} returns, without building strings on the way: the sandbox writes one
   * for every row it serves.
   */
  static StringBuilder append(StringBuilder out, String keyPrefix, long number) {
    if (keyPrefix.length() != 3) {
      throw new IllegalArgumentException("a key prefix has 3 characters: '" + keyPrefix + "'");
    }
    char[] id15 = new char[15];
    keyPrefix.getChars(0, 3, id15, 0);
    long rest = number;
    for (int i = id15.length - 1; i >= 3; i--) {
      id15[i] = BASE62.charAt((int) (rest % 62));
      rest /= 62;
    }
    out.append(id15);
    // Salesforce's suffix: per 5-character chunk, a bit per upper-case letter, as one character.
    for (int chunk = 0; chunk < 3; chunk++) {
      int bits = 0;
      for (int i = 0; i < 5; i++) {
        if (Character.isUpperCase(id15[chunk * 5 + i])) {
          bits |= 1 << i;
        }
      }
      out.append(SUFFIX_ALPHABET.charAt(bits));
    }
    return out;
  }
}
