package dev.sluice.starter.spec;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Table locations: a path (relative to the pipeline or routes file, or absolute) or a {@code
 * file:}, {@code hdfs:} or {@code s3a:} URI. Relative paths are resolved at load time, so {@code
 * sluice run} writes where the file says whatever the working directory, and workers receive an
 * absolute URI.
 */
public final class SinkPaths {
  private static final List<String> SCHEMES = List.of("file", "hdfs", "s3a");
  // Two or more characters, so that a Windows drive letter ("C:") is not taken for a scheme.
  private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):");

  private SinkPaths() {}

  /** What is wrong with {@code location}, if anything. */
  static Optional<String> problem(String location) {
    if (location.contains("${")) {
      return Optional.of("placeholders are not supported in the sink path");
    }
    var scheme = SCHEME.matcher(location);
    if (!scheme.find()) {
      try {
        Path.of(location);
        return Optional.empty();
      } catch (InvalidPathException e) {
        return Optional.of("not a valid path: " + e.getReason());
      }
    }
    String name = scheme.group(1).toLowerCase(Locale.ROOT);
    if (!SCHEMES.contains(name)) {
      return Optional.of(
          "unsupported scheme '"
              + scheme.group(1)
              + ":'"
              + Suggestions.didYouMean(name, SCHEMES)
              + "; use a path relative to this file, or a file:, hdfs: or s3a: URI");
    }
    URI uri;
    try {
      uri = new URI(location);
    } catch (URISyntaxException e) {
      return Optional.of("not a valid URI: " + e.getReason() + " at index " + e.getIndex());
    }
    if (name.equals("file")) {
      return uri.isOpaque() || uri.getPath() == null || !uri.getPath().startsWith("/")
          ? Optional.of(
              "a file: URI must be absolute (file:///path); for a path relative to this file,"
                  + " leave out 'file:'")
          : Optional.empty();
    }
    return uri.getAuthority() == null
        ? Optional.of(
            "a "
                + name
                + ": URI needs a "
                + (name.equals("s3a") ? "bucket" : "name node")
                + " ("
                + name
                + "://"
                + (name.equals("s3a") ? "bucket" : "namenode")
                + "/path)")
        : Optional.empty();
  }

  /**
   * The absolute URI of a valid {@code location}: URIs are kept as written, paths become {@code
   * file:///} URIs, relative ones resolved against {@code baseDirectory}.
   */
  public static String resolve(String location, Path baseDirectory) {
    if (SCHEME.matcher(location).find()) {
      return location;
    }
    Path absolute = baseDirectory.toAbsolutePath().resolve(location).normalize();
    try {
      // Built by hand rather than Path.toUri(), which appends '/' only if the directory exists.
      return new URI("file", "", absolute.toString(), null).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot make a URI of " + absolute, e);
    }
  }
}
