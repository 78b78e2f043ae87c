package dev.sluice.activities.download;

import java.util.Optional;

/** The names files land under: relative paths that stay inside the sink's directory. */
final class FileNames {
  private FileNames() {}

  /**
   * Why {@code name} cannot be a landing name, or empty when it can: it must be a relative path of
   * non-empty segments without {@code .}, {@code ..} or a backslash, and not under {@code _sluice/}
   * (Sluice's own state) — a listing must not write outside the directory or over its state.
   */
  static Optional<String> problem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("is empty");
    }
    if (name.startsWith("/")) {
      return Optional.of("is absolute");
    }
    if (name.indexOf('\\') >= 0 || name.indexOf(':') >= 0) {
      return Optional.of("holds a backslash or a colon");
    }
    String[] segments = name.split("/", -1);
    for (String s : segments) {
      if (s.isEmpty() || s.equals(".") || s.equals("..")) {
        return Optional.of("has an empty, '.' or '..' segment");
      }
    }
    if (segments[0].equals("_sluice")) {
      return Optional.of("is under _sluice/, where Sluice keeps its state");
    }
    return Optional.empty();
  }

  /**
   * The last segment of a URL's path, without query or fragment (the name a browser would save).
   */
  static String lastSegment(String path) {
    String p = path;
    int cut = p.indexOf('?');
    p = cut >= 0 ? p.substring(0, cut) : p;
    cut = p.indexOf('#');
    p = cut >= 0 ? p.substring(0, cut) : p;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.substring(p.lastIndexOf('/') + 1);
  }
}
