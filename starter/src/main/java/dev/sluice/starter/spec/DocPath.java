package dev.sluice.starter.spec;

import java.util.regex.Pattern;

/**
 * Builds the dotted paths of {@link Problem}: {@code source.status.readyWhen}, {@code columns[2]}.
 */
public final class DocPath {
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  private DocPath() {}

  /** The path of key {@code key} of the object at {@code parent}. */
  public static String key(String parent, String key) {
    // Keys that would make the path ambiguous (dots, brackets, spaces) are quoted.
    String segment = PLAIN_KEY.matcher(key).matches() ? key : "['" + key.replace("'", "\\'") + "']";
    if (parent.isEmpty() || segment.startsWith("[")) {
      return parent + segment;
    }
    return parent + "." + segment;
  }

  /** The path of item {@code index} of the list at {@code parent}. */
  public static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }
}
