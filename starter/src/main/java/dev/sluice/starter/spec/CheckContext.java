package dev.sluice.starter.spec;

import static dev.sluice.starter.spec.CheckContext.text;
import static dev.sluice.starter.spec.CheckContext.written;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.Components;
import dev.sluice.pipeline.DataSize;
import dev.sluice.starter.spec.Templates.Scope;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What every check shares while one document is checked: the problems and secret references found
 * so far, what the document says about templates (incremental, open end, the unit variable), and
 * the checks of single values (templates, URLs, regular expressions, secret references, sizes,
 * durations, keys of another type).
 */
final class CheckContext {
  final List<Problem> problems = new ArrayList<>();
  final Set<String> secrets = new LinkedHashSet<>();
  private final boolean incremental;

  /** Whether {@code incremental.openEnd} gives a new window its {@code ${watermarkEnd}}. */
  private final boolean openEnd;

  /** The template variable of the pipeline's work units, or null when it has none. */
  final String unitVariable;

  /** Whether the pipeline is incremental and its new windows have a bounded watermark range. */
  boolean boundedWatermark() {
    return !incremental || openEnd;
  }

  CheckContext(JsonNode root) {
    this.incremental = root.path("incremental").isObject();
    this.openEnd = root.path("incremental").has("openEnd");
    JsonNode units = root.path("units");
    this.unitVariable = units.isObject() ? text(units, "variable").orElse("unit") : null;
  }

  void template(JsonNode parent, String parentPath, String key, Scope scope) {
    text(parent, key)
        .ifPresent(
            value -> {
              Templates.check(
                  DocPath.key(parentPath, key),
                  value,
                  scope,
                  incremental,
                  unitVariable,
                  problems,
                  secrets);
              if (incremental && !openEnd && value.contains("${watermarkEnd}")) {
                problems.add(
                    new Problem(
                        DocPath.key(parentPath, key),
                        "uses ${watermarkEnd}, which a new window has no value of its own for:"
                            + " set incremental.openEnd to a value above any watermark (e.g."
                            + " 9999-12-31T23:59:59Z); a re-run of a window gets the highest"
                            + " value that window published"));
              }
            });
  }

  void url(JsonNode parent, String parentPath, String key) {
    Optional<String> url = text(parent, key).filter(u -> !u.isEmpty());
    if (url.isEmpty() || url.get().startsWith("${")) {
      return; // a placeholder (${env:BASE_URL}/...) supplies the scheme and host at run time
    }
    String path = DocPath.key(parentPath, key);
    try {
      URI uri = new URI(Templates.replacePlaceholders(url.get(), "x"));
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        problems.add(
            new Problem(path, "must be an http:// or https:// URL (found '" + url.get() + "')"));
      } else if (uri.getRawAuthority() == null) {
        problems.add(new Problem(path, "must name a host (found '" + url.get() + "')"));
      }
    } catch (URISyntaxException e) {
      problems.add(
          new Problem(path, "not a valid URL: " + e.getReason() + " at index " + e.getIndex()));
    }
  }

  Optional<Pattern> regex(JsonNode parent, String parentPath, String key) {
    Optional<String> regex = text(parent, key);
    if (regex.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Pattern.compile(regex.get()));
    } catch (PatternSyntaxException e) {
      String where = e.getIndex() >= 0 ? " near index " + e.getIndex() : "";
      problems.add(
          new Problem(
              DocPath.key(parentPath, key),
              "not a valid regular expression: " + e.getDescription() + where));
      return Optional.empty();
    }
  }


  /**
   * A secret that must be exactly one reference and nothing else: the pipeline travels in workflow
   * inputs, so a value written here, even a part of it around a reference, would sit in history.
   */
  void secretReference(JsonNode parent, String parentPath, String key) {
    Optional<String> value = text(parent, key);
    if (value.isEmpty()) {
      return;
    }
    String path = DocPath.key(parentPath, key);
    List<String> references = Templates.placeholders(value.get());
    String rest = Templates.replacePlaceholders(value.get(), "");
    if (references.isEmpty() && !rest.contains("${")) {
      // No placeholder at all: this is the secret itself.
      problems.add(
          new Problem(
              path,
              "must be a secret reference such as ${env:NAME} or ${file:/path}, not the secret"
                  + " itself (pipeline definitions are stored in workflow history)"));
    } else if (rest.contains("${")) {
      return; // an unclosed placeholder, reported by the template check
    } else if (references.size() > 1) {
      problems.add(
          new Problem(
              path,
              "must be exactly one secret reference and nothing else (found "
                  + references.size()
                  + ": "
                  + String.join(", ", references)
                  + "); keep the whole secret in one variable or file"));
    } else if (!rest.isEmpty()) {
      // Only the reference is echoed: the text around it is (part of) the secret.
      String reference = references.get(0);
      problems.add(
          new Problem(
              path,
              "must be exactly one secret reference and nothing else: the text around "
                  + reference
                  + " would be stored in workflow history; write "
                  + key
                  + ": "
                  + reference
                  + " and keep the whole secret in that variable or file"));
    }
    // Exactly one placeholder: a malformed one (${env:1X}, ${watermark}) is reported by the
    // template check.
  }

  /** Reports a well-formed size at {@code key} that is too large to use. */
  void size(JsonNode parent, String parentPath, String key) {
    Optional<String> text = text(parent, key).filter(DataSize::looksLikeSize);
    if (text.isEmpty()) {
      return; // absent, or malformed and reported by the schema
    }
    try {
      DataSize.parseBytes(text.get());
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(DocPath.key(parentPath, key), e.getMessage()));
    }
  }

  /** The duration at {@code key} if present, well-formed and positive; reports it otherwise. */
  Optional<Duration> positiveDuration(JsonNode parent, String parentPath, String key) {
    Optional<String> text = text(parent, key).filter(Durations::looksLikeDuration);
    if (text.isEmpty()) {
      return Optional.empty(); // absent, or malformed and reported by the schema
    }
    String path = DocPath.key(parentPath, key);
    try {
      Duration duration = Durations.parse(text.get());
      if (duration.isZero() || duration.isNegative()) {
        problems.add(new Problem(path, "must be positive (found " + text.get() + ")"));
        return Optional.empty();
      }
      return Optional.of(duration);
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(path, e.getMessage()));
      return Optional.empty();
    }
  }

  /**
   * Reports keys of {@code object} that do not apply to the value of its discriminator {@code
   * typeKey} (e.g. a {@code token} in {@code basic} auth), which would otherwise be silently
   * ignored.
   */
  void onlyFor(
      JsonNode object,
      String path,
      String typeKey,
      String defaultType,
      Set<String> knownTypes,
      Map<String, Set<String>> keyTypes) {
    if (!object.isObject()) {
      return;
    }
    String type = text(object, typeKey).orElse(defaultType);
    if (!knownTypes.contains(type)) {
      return; // an unknown type is the schema's to report, and every key would look misplaced
    }
    object
        .fieldNames()
        .forEachRemaining(
            key -> {
              Set<String> types = keyTypes.get(key);
              if (types != null && !types.contains(type)) {
                problems.add(
                    new Problem(
                        DocPath.key(path, key),
                        "applies only when "
                            + typeKey
                            + " is "
                            + String.join(" or ", types.stream().sorted().toList())
                            + ", not '"
                            + type
                            + "'"));
              }
            });
  }

  /**
   * Reports keys of a typed component ({@code AuthSpec}, {@code PaginationSpec}, {@code
   * FormatSpec}) that belong to another of its types than the one written, as {@link #onlyFor}
   * does; which keys belong to which type is read off the records of {@code family}, and the type
   * left out is {@code defaultComponent}'s.
   */
  void onlyForType(JsonNode object, String path, Class<?> family, Object defaultComponent) {
    onlyFor(
        object,
        path,
        "type",
        Components.typeName(defaultComponent),
        Components.types(family).keySet(),
        keyTypes(family));
  }

  /** For each key of a typed component's records, the types that have it. */
  static Map<String, Set<String>> keyTypes(Class<?> family) {
    Map<String, Set<String>> keyTypes = new LinkedHashMap<>();
    Components.types(family)
        .forEach(
            (type, record) ->
                Components.keys(record)
                    .forEach(key -> keyTypes.computeIfAbsent(key, k -> new TreeSet<>()).add(type)));
    return keyTypes;
  }

  static String written(JsonNode parent, String key, String defaultText) {
    return text(parent, key).orElse(defaultText);
  }

  static Optional<String> text(JsonNode parent, String key) {
    JsonNode value = parent.path(key);
    return value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
  }

  /** A templated request: url, headers and (where it exists) body. */
  void request(JsonNode request, String path, Scope scope) {
    template(request, path, "url", scope);
    url(request, path, "url");
    JsonNode headers = request.path("headers");
    if (headers.isObject()) {
      String headersPath = DocPath.key(path, "headers");
      headers.fieldNames().forEachRemaining(name -> template(headers, headersPath, name, scope));
    }
    template(request, path, "body", scope);
  }


  /**
   * Checks a growing wait: both durations positive, and the ceiling {@code maxKey} not shorter than
   * the first wait {@code minKey}, written or defaulted (defaults in the form the docs show).
   */
  void backoffCeiling(
      JsonNode parent,
      String path,
      String minKey,
      Duration minDefault,
      String maxKey,
      Duration maxDefault) {
    Optional<Duration> min = positiveDuration(parent, path, minKey);
    Optional<Duration> max = positiveDuration(parent, path, maxKey);
    boolean minValid = min.isPresent() || !parent.has(minKey);
    boolean maxValid = max.isPresent() || !parent.has(maxKey);
    if (minValid
        && maxValid
        && max.orElse(maxDefault).compareTo(min.orElse(minDefault)) < 0) {
      String maxText = written(parent, maxKey, Durations.format(maxDefault));
      String minText = written(parent, minKey, Durations.format(minDefault));
      problems.add(
          new Problem(
              DocPath.key(path, maxKey),
              parent.has(maxKey)
                  ? "must not be shorter than " + minKey + " (" + maxText + " < " + minText + ")"
                  : "the default of "
                      + Durations.format(maxDefault)
                      + " is shorter than "
                      + minKey
                      + " ("
                      + minText
                      + "): set "
                      + maxKey));
    }
  }
}
