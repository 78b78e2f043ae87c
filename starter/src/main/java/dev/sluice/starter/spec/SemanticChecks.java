package dev.sluice.starter.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.starter.spec.Templates.Scope;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The rules a JSON Schema cannot express: regular expressions compile, template variables exist
 * where they are used, URLs are HTTP, durations are positive and consistent, declared column types
 * parse, sink paths are usable.
 *
 * <p>It runs on the YAML tree, not on mapped records, so it also reports problems of a file that
 * failed schema validation; it skips values of the wrong type, which the schema already reported.
 */
final class SemanticChecks {
  private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),\\s*(\\d+)\\)");
  private static final int MAX_DECIMAL_PRECISION = 38;

  // Keys that mean something only for some values of their object's discriminator.
  private static final Set<String> OAUTH2 = Set.of("oauth2-client-credentials");
  private static final Map<String, Set<String>> AUTH_KEYS =
      Map.ofEntries(
          Map.entry("username", Set.of("basic")),
          Map.entry("password", Set.of("basic")),
          Map.entry("token", Set.of("bearer")),
          Map.entry("header", Set.of("api-key")),
          Map.entry("key", Set.of("api-key")),
          Map.entry("tokenUrl", OAUTH2),
          Map.entry("clientId", OAUTH2),
          Map.entry("clientSecret", OAUTH2),
          Map.entry("scope", OAUTH2),
          Map.entry("refreshBefore", OAUTH2),
          Map.entry("defaultTtl", OAUTH2));
  private static final List<String> AUTH_TEMPLATES =
      List.of(
          "username", "password", "token", "key", "tokenUrl", "clientId", "clientSecret", "scope");
  /** Auth values that are secrets: only ever a reference, resolved by the worker. */
  private static final List<String> AUTH_SECRETS = List.of("password", "token", "key", "clientSecret");

  private static final Set<String> AUTH_TYPES =
      Set.of("none", "basic", "bearer", "api-key", "oauth2-client-credentials");
  private static final Map<String, Set<String>> PAGINATION_KEYS =
      Map.of(
          "header", Set.of("header-locator"),
          "endValue", Set.of("header-locator"),
          "pointer", Set.of("next-url", "cursor"),
          "param", Set.of("header-locator", "cursor", "page", "offset"),
          "start", Set.of("page", "offset"));
  private static final Set<String> PAGINATION_TYPES =
      Set.of("none", "header-locator", "next-url", "cursor", "page", "offset");
  private static final Map<String, Set<String>> FORMAT_KEYS =
      Map.of(
          "delimiter", Set.of("csv"),
          "quote", Set.of("csv"),
          "header", Set.of("csv"),
          "recordsPath", Set.of("json"));
  private static final Set<String> FORMAT_TYPES = Set.of("csv", "json", "ndjson");
  private static final Map<String, Set<String>> REQUEST_ID_KEYS =
      Map.of("pointer", Set.of("body"), "header", Set.of("header"));
  private static final Set<String> REQUEST_ID_SOURCES = Set.of("body", "header");

  private final List<Problem> problems = new ArrayList<>();
  private final Set<String> secrets = new LinkedHashSet<>();
  private final boolean incremental;

  /** What the checks found. */
  record Result(List<Problem> problems, List<String> secretReferences) {}

  private SemanticChecks(JsonNode root) {
    this.incremental = root.path("incremental").isObject();
  }

  /** Checks a parsed pipeline document (of any shape). */
  static Result check(JsonNode root) {
    SemanticChecks checks = new SemanticChecks(root);
    checks.pipeline(root);
    return new Result(List.copyOf(checks.problems), List.copyOf(checks.secrets));
  }

  private void pipeline(JsonNode root) {
    JsonNode source = root.path("source");
    if (text(source, "type").filter("async-http"::equals).isPresent()) {
      asyncHttpSource(source, "source");
    }
    JsonNode sink = root.path("sink");
    if (text(sink, "type").filter("parquet"::equals).isPresent()) {
      parquetSink(sink, "sink");
    }
    text(root.path("incremental"), "column")
        .filter(column -> !column.isEmpty() && column.isBlank())
        .ifPresent(column -> problems.add(new Problem("incremental.column", "must not be blank")));
  }

  // ---- async-http -------------------------------------------------------------------------------

  private void asyncHttpSource(JsonNode source, String path) {
    auth(source.path("auth"), DocPath.key(path, "auth"));
    submit(source.path("submit"), DocPath.key(path, "submit"));
    status(source.path("status"), DocPath.key(path, "status"));
    extract(source.path("extract"), DocPath.key(path, "extract"));
    JsonNode cleanup = source.path("cleanup");
    String cleanupPath = DocPath.key(path, "cleanup");
    request(cleanup.path("abort"), DocPath.key(cleanupPath, "abort"), Scope.REQUEST);
    request(cleanup.path("delete"), DocPath.key(cleanupPath, "delete"), Scope.REQUEST);
  }

  private void auth(JsonNode auth, String path) {
    for (String key : AUTH_TEMPLATES) {
      template(auth, path, key, Scope.AUTH);
    }
    for (String key : AUTH_SECRETS) {
      Optional<String> value = text(auth, key);
      // A value with no placeholder at all is the secret itself; a misused placeholder is
      // reported by the template check above.
      if (value.isPresent() && !value.get().contains("${")) {
        // The pipeline travels in workflow inputs: a value written here would sit in history.
        problems.add(
            new Problem(
                DocPath.key(path, key),
                "must be a secret reference such as ${env:NAME} or ${file:/path}, not the secret"
                    + " itself (pipeline definitions are stored in workflow history)"));
      }
    }
    url(auth, path, "tokenUrl");
    onlyFor(auth, path, "type", "none", AUTH_TYPES, AUTH_KEYS);
    Optional<Duration> refreshBefore = positiveDuration(auth, path, "refreshBefore");
    Optional<Duration> defaultTtl = positiveDuration(auth, path, "defaultTtl");
    boolean oauth2 = text(auth, "type").filter(OAUTH2::contains).isPresent();
    Duration refresh = refreshBefore.orElse(Duration.ofSeconds(60));
    if (oauth2 && refresh.compareTo(defaultTtl.orElse(Duration.ofMinutes(15))) >= 0) {
      problems.add(
          new Problem(
              DocPath.key(path, "refreshBefore"),
              "must be shorter than defaultTtl ("
                  + written(auth, "defaultTtl", "15m")
                  + "), or every token is refreshed as soon as it is fetched"));
    }
  }

  private void submit(JsonNode submit, String path) {
    request(submit, path, Scope.SUBMIT);
    JsonNode requestId = submit.path("requestId");
    String requestIdPath = DocPath.key(path, "requestId");
    onlyFor(requestId, requestIdPath, "from", "body", REQUEST_ID_SOURCES, REQUEST_ID_KEYS);
    Optional<Pattern> regex = regex(requestId, requestIdPath, "regex");
    if (regex.isPresent() && regex.get().matcher("").groupCount() < 1) {
      problems.add(
          new Problem(
              DocPath.key(requestIdPath, "regex"),
              "needs a capturing group: its first group is the request ID"
                  + " (e.g. /jobs/([0-9]+)$)"));
    }
  }

  private void status(JsonNode status, String path) {
    request(status, path, Scope.REQUEST);
    regex(status, path, "readyWhen");
    regex(status, path, "failedWhen");
    pollingIntervals(status, path);
  }

  private void extract(JsonNode extract, String path) {
    request(extract, path, Scope.REQUEST);
    JsonNode format = extract.path("format");
    onlyFor(format, DocPath.key(path, "format"), "type", "csv", FORMAT_TYPES, FORMAT_KEYS);
    JsonNode pagination = extract.path("pagination");
    String paginationPath = DocPath.key(path, "pagination");
    onlyFor(pagination, paginationPath, "type", "none", PAGINATION_TYPES, PAGINATION_KEYS);
    String formatType = text(format, "type").orElse("csv");
    String paginationType = text(pagination, "type").orElse("none");
    boolean readsBody = paginationType.equals("next-url") || paginationType.equals("cursor");
    if (readsBody && !formatType.equals("json")) {
      problems.add(
          new Problem(
              DocPath.key(paginationPath, "type"),
              "'"
                  + paginationType
                  + "' pagination reads the next page from a JSON body; format '"
                  + formatType
                  + "' has none (use header-locator, page or offset)"));
    }
  }

  /** A templated request: url, headers and (where it exists) body. */
  private void request(JsonNode request, String path, Scope scope) {
    template(request, path, "url", scope);
    url(request, path, "url");
    JsonNode headers = request.path("headers");
    if (headers.isObject()) {
      String headersPath = DocPath.key(path, "headers");
      headers.fieldNames().forEachRemaining(name -> template(headers, headersPath, name, scope));
    }
    template(request, path, "body", scope);
  }

  private void pollingIntervals(JsonNode status, String path) {
    Optional<Duration> interval = positiveDuration(status, path, "interval");
    Optional<Duration> maxInterval = positiveDuration(status, path, "maxInterval");
    positiveDuration(status, path, "timeout");
    boolean intervalValid = interval.isPresent() || !status.has("interval");
    boolean maxIntervalValid = maxInterval.isPresent() || !status.has("maxInterval");
    if (intervalValid
        && maxIntervalValid
        && maxInterval
                .orElse(Duration.ofSeconds(60))
                .compareTo(interval.orElse(Duration.ofSeconds(5)))
            < 0) {
      String max = written(status, "maxInterval", "60s");
      String min = written(status, "interval", "5s");
      problems.add(
          new Problem(
              DocPath.key(path, "maxInterval"),
              status.has("maxInterval")
                  ? "must not be shorter than interval (" + max + " < " + min + ")"
                  : "the default of 60s is shorter than interval (" + min + "): set maxInterval"));
    }
  }

  // ---- parquet ----------------------------------------------------------------------------------

  private void parquetSink(JsonNode sink, String path) {
    text(sink, "path")
        .filter(location -> !location.isEmpty())
        .flatMap(SinkPaths::problem)
        .ifPresent(message -> problems.add(new Problem(DocPath.key(path, "path"), message)));
    JsonNode columns = sink.path("columns");
    if (!columns.isArray()) {
      return;
    }
    Map<String, String> firstDeclared = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      column(columns.get(i), DocPath.index(DocPath.key(path, "columns"), i), firstDeclared);
    }
  }

  private void column(JsonNode column, String path, Map<String, String> firstDeclared) {
    Optional<String> name = text(column, "name");
    if (name.isPresent()) {
      String first = firstDeclared.putIfAbsent(name.get(), path);
      if (first != null) {
        problems.add(
            new Problem(
                DocPath.key(path, "name"),
                "column '" + name.get() + "' is already declared at " + first));
      }
    }
    Optional<String> type = text(column, "type");
    type.ifPresent(t -> decimal(t, DocPath.key(path, "type")));
    Optional<String> format = text(column, "format");
    if (format.isEmpty()) {
      return;
    }
    String formatPath = DocPath.key(path, "format");
    if (type.isPresent() && !type.get().equals("timestamp") && !type.get().equals("date")) {
      problems.add(new Problem(formatPath, "applies only to timestamp and date columns"));
      return;
    }
    try {
      DateTimeFormatter.ofPattern(format.get());
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(formatPath, "not a valid date-time pattern: " + e.getMessage()));
    }
  }

  private void decimal(String type, String path) {
    Matcher decimal = DECIMAL.matcher(type);
    if (!decimal.matches()) {
      return; // any other invalid type is the schema's to report
    }
    int precision = parseSmallInt(decimal.group(1));
    int scale = parseSmallInt(decimal.group(2));
    if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
      problems.add(
          new Problem(
              path,
              "decimal precision must be between 1 and "
                  + MAX_DECIMAL_PRECISION
                  + " (found "
                  + decimal.group(1)
                  + ")"));
    } else if (scale > precision) {
      problems.add(
          new Problem(
              path,
              "decimal scale must not exceed its precision ("
                  + decimal.group(2)
                  + " > "
                  + decimal.group(1)
                  + ")"));
    }
  }

  // ---- values -----------------------------------------------------------------------------------

  private void template(JsonNode parent, String parentPath, String key, Scope scope) {
    text(parent, key)
        .ifPresent(
            value ->
                Templates.check(
                    DocPath.key(parentPath, key), value, scope, incremental, problems, secrets));
  }

  private void url(JsonNode parent, String parentPath, String key) {
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

  private Optional<Pattern> regex(JsonNode parent, String parentPath, String key) {
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

  /** The duration at {@code key} if present, well-formed and positive; reports it otherwise. */
  private Optional<Duration> positiveDuration(JsonNode parent, String parentPath, String key) {
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
  private void onlyFor(
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

  private static String written(JsonNode parent, String key, String defaultText) {
    return text(parent, key).orElse(defaultText);
  }

  private static Optional<String> text(JsonNode parent, String key) {
    JsonNode value = parent.path(key);
    return value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
  }

  private static int parseSmallInt(String digits) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }
}
