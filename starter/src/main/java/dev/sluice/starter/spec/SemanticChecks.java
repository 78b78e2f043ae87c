package dev.sluice.starter.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.sluice.pipeline.DataSize;
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
 * where they are used, URLs are HTTP, secrets are references, durations are positive and
 * consistent, sizes fit, declared column types parse, sink paths are usable, keys that mean nothing
 * for the chosen kind or mode are reported, and deferral names declared columns.
 *
 * <p>It runs on the YAML tree, not on mapped records, so it also reports problems of a file that
 * failed schema validation; it skips values of the wrong type, which the schema already reported.
 */
public final class SemanticChecks {
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
  private static final List<String> AUTH_SECRETS =
      List.of("password", "token", "key", "clientSecret");

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
          "allowShortRecords", Set.of("csv"),
          "allowMissingColumns", Set.of("csv"),
          "recordsPath", Set.of("json"));
  // A value is held in memory whole (one Java array): this is the most one may take.
  private static final long MAX_FIELD_SIZE = 1L << 30;
  private static final Set<String> FORMAT_TYPES = Set.of("csv", "json", "ndjson");
  private static final Map<String, Set<String>> REQUEST_ID_KEYS =
      Map.of("pointer", Set.of("body"), "header", Set.of("header"));
  private static final Set<String> REQUEST_ID_SOURCES = Set.of("body", "header");

  private static final String OAUTH_S2S = "oauth-server-to-server";
  private static final Set<String> JWT = Set.of("jwt");
  private static final Set<String> CONNECTION_AUTH_TYPES = Set.of(OAUTH_S2S, "jwt");
  private static final Map<String, Set<String>> CONNECTION_KEYS =
      Map.of(
          "scope", Set.of(OAUTH_S2S),
          "technicalAccountId", JWT,
          "privateKey", JWT,
          "metascopes", JWT);
  private static final List<String> CONNECTION_TEMPLATES =
      List.of(
          "baseUrl",
          "tokenUrl",
          "clientId",
          "clientSecret",
          "scope",
          "technicalAccountId",
          "privateKey",
          "metascopes",
          "imsOrg",
          "sandboxName");

  /** Connection values that are secrets: only ever a reference, as in auth. */
  private static final List<String> CONNECTION_SECRETS = List.of("clientSecret", "privateKey");

  private static final String INCREMENTAL_READ = "incremental";
  private static final Set<String> READS = Set.of(INCREMENTAL_READ, "snapshot");
  // A snapshot reads one batch (the latest): there is nothing to order, parallelize or cap.
  private static final Map<String, Set<String>> READ_KEYS =
      Map.of(
          "processing", Set.of(INCREMENTAL_READ),
          "maxParallel", Set.of(INCREMENTAL_READ),
          "maxBatchesPerRun", Set.of(INCREMENTAL_READ));
  private static final Set<String> PROCESSINGS = Set.of("ordered", "parallel");
  private static final Map<String, Set<String>> PROCESSING_KEYS =
      Map.of("maxParallel", Set.of("parallel"));

  private final List<Problem> problems = new ArrayList<>();
  private final Set<String> secrets = new LinkedHashSet<>();
  private final boolean incremental;

  /** Whether {@code incremental.openEnd} gives a new window its {@code ${watermarkEnd}}. */
  private final boolean openEnd;

  /** The template variable of the pipeline's work units, or null when it has none. */
  private final String unitVariable;

  /** What the checks found. */
  record Result(List<Problem> problems, List<String> secretReferences) {}

  private SemanticChecks(JsonNode root) {
    this.incremental = root.path("incremental").isObject();
    this.openEnd = root.path("incremental").has("openEnd");
    JsonNode units = root.path("units");
    this.unitVariable = units.isObject() ? text(units, "variable").orElse("unit") : null;
  }

  /**
   * Checks a sink written outside a pipeline (a route's, in a routes file) with exactly the rules
   * of a pipeline's sink: its path and scheme, sizes, columns, and a platform connection's secret
   * references.
   *
   * @param sink the sink object, of any shape (values of the wrong type are the schema's to report)
   * @param path its path in its document, e.g. {@code routes[0].sink}
   * @return every problem found, with paths under {@code path}; empty when there is none
   */
  public static List<Problem> checkSink(JsonNode sink, String path) {
    SemanticChecks checks = new SemanticChecks(MissingNode.getInstance());
    checks.sink(sink, path, MissingNode.getInstance());
    return List.copyOf(checks.problems);
  }

  /** Checks a parsed pipeline document (of any shape). */
  static Result check(JsonNode root) {
    SemanticChecks checks = new SemanticChecks(root);
    checks.pipeline(root);
    return new Result(List.copyOf(checks.problems), List.copyOf(checks.secrets));
  }

  private void pipeline(JsonNode root) {
    JsonNode source = root.path("source");
    switch (text(source, "type").orElse("")) {
      case "async-http" -> asyncHttpSource(source, "source");
      case "platform-batches" -> platformBatchesSource(source, "source", root);
      case "files" -> filesSource(source, "source", root);
      default -> {} // no type, or an unknown one: the schema's to report
    }
    JsonNode sink = root.path("sink");
    sink(sink, "sink", root);
    text(root.path("incremental"), "column")
        .filter(column -> !column.isEmpty() && column.isBlank())
        .ifPresent(column -> problems.add(new Problem("incremental.column", "must not be blank")));
    positiveDuration(root, "", "window");
    deferral(root.path("defer"), "defer", sink.path("columns"));
    units(root);
  }

  private void sink(JsonNode sink, String path, JsonNode root) {
    switch (text(sink, "type").orElse("")) {
      case "parquet" -> parquetSink(sink, path);
      case "platform-batch" -> platformBatchSink(sink, path);
      case "files" -> filesSink(sink, path, root);
      default -> {} // no type, or an unknown one: the schema's to report
    }
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
      secretReference(auth, path, key);
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
    positiveDuration(extract, path, "pageTimeout");
    JsonNode format = extract.path("format");
    format(format, DocPath.key(path, "format"));
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

  /** A page format: keys of its type only, a charset the JVM knows, a value limit that fits. */
  private void format(JsonNode format, String path) {
    onlyFor(format, path, "type", "csv", FORMAT_TYPES, FORMAT_KEYS);
    Optional<String> charset = text(format, "charset");
    if (charset.isPresent() && !isCharset(charset.get())) {
      problems.add(
          new Problem(
              DocPath.key(path, "charset"),
              "'"
                  + charset.get()
                  + "' is not a charset Java knows (e.g. UTF-8, ISO-8859-1, windows-1252)"));
    }
    size(format, path, "maxFieldSize");
    Optional<String> maxFieldSize =
        text(format, "maxFieldSize").filter(DataSize::looksLikeSize);
    try {
      if (maxFieldSize.isPresent() && DataSize.parseBytes(maxFieldSize.get()) > MAX_FIELD_SIZE) {
        problems.add(
            new Problem(
                DocPath.key(path, "maxFieldSize"),
                "at most 1GB: a value is held in memory whole (found " + maxFieldSize.get() + ")"));
      }
    } catch (IllegalArgumentException e) {
      // Too large to parse: size() above reported it.
    }
  }

  private static boolean isCharset(String name) {
    try {
      return java.nio.charset.Charset.isSupported(name);
    } catch (java.nio.charset.IllegalCharsetNameException e) {
      return false;
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
    backoffCeiling(status, path, "interval", "5s", "maxInterval", "60s");
    positiveDuration(status, path, "timeout");
  }

  /**
   * Checks a growing wait: both durations positive, and the ceiling {@code maxKey} not shorter than
   * the first wait {@code minKey}, written or defaulted (defaults in the form the docs show).
   */
  private void backoffCeiling(
      JsonNode parent,
      String path,
      String minKey,
      String minDefault,
      String maxKey,
      String maxDefault) {
    Optional<Duration> min = positiveDuration(parent, path, minKey);
    Optional<Duration> max = positiveDuration(parent, path, maxKey);
    boolean minValid = min.isPresent() || !parent.has(minKey);
    boolean maxValid = max.isPresent() || !parent.has(maxKey);
    if (minValid
        && maxValid
        && max.orElse(Durations.parse(maxDefault))
                .compareTo(min.orElse(Durations.parse(minDefault)))
            < 0) {
      String maxText = written(parent, maxKey, maxDefault);
      String minText = written(parent, minKey, minDefault);
      problems.add(
          new Problem(
              DocPath.key(path, maxKey),
              parent.has(maxKey)
                  ? "must not be shorter than " + minKey + " (" + maxText + " < " + minText + ")"
                  : "the default of "
                      + maxDefault
                      + " is shorter than "
                      + minKey
                      + " ("
                      + minText
                      + "): set "
                      + maxKey));
    }
  }

  // ---- platform ---------------------------------------------------------------------------------

  private void platformBatchesSource(JsonNode source, String path, JsonNode root) {
    connection(source.path("connection"), DocPath.key(path, "connection"));
    datasetId(source, path);
    onlyFor(source, path, "read", INCREMENTAL_READ, READS, READ_KEYS);
    boolean snapshot = text(source, "read").filter("snapshot"::equals).isPresent();
    if (!snapshot) {
      onlyFor(source, path, "processing", "ordered", PROCESSINGS, PROCESSING_KEYS);
    }
    Optional<Duration> timeout = positiveDuration(source, path, "settleTimeout");
    Optional<Duration> interval = positiveDuration(source, path, "settleInterval");
    if ((timeout.isPresent() || !source.has("settleTimeout"))
        && (interval.isPresent() || !source.has("settleInterval"))
        && interval.orElse(Duration.ofSeconds(30)).compareTo(timeout.orElse(Duration.ofMinutes(30)))
            > 0) {
      problems.add(
          new Problem(
              DocPath.key(path, "settleInterval"),
              "must not be longer than settleTimeout ("
                  + written(source, "settleInterval", "30s")
                  + " > "
                  + written(source, "settleTimeout", "30m")
                  + "), or the latest batch is checked only once"));
    }
    if (snapshot && text(root.path("sink"), "mode").filter("append"::equals).isPresent()) {
      // The workflow writes a snapshot read's table in snapshot mode whatever the sink says.
      problems.add(
          new Problem(
              "sink.mode",
              "a snapshot read replaces the table with the latest batch each run: remove 'mode'"
                  + " or set it to snapshot"));
    }
    JsonNode incremental = root.path("incremental");
    if (!incremental.isObject()) {
      return;
    }
    if (snapshot) {
      problems.add(
          new Problem(
              "incremental",
              "a snapshot read takes only the latest successful batch and replaces the table"
                  + " each run, so it keeps no watermark: remove this section"));
    } else {
      // The source's watermark is the last batch read; a column would suggest a filter on rows.
      problems.add(
          new Problem(
              incremental.has("column") ? "incremental.column" : "incremental",
              "a platform-batches source needs no watermark column: it always reads the batches"
                  + " created after the last one it read, whose created time and ID it keeps"
                  + " beside the table; remove the 'incremental' section"));
    }
  }

  private void platformBatchSink(JsonNode sink, String path) {
    table(sink, path);
    connection(sink.path("connection"), DocPath.key(path, "connection"));
    datasetId(sink, path);
    size(sink, path, "largeFileThreshold");
    size(sink, path, "chunkSize");
    backoffCeiling(sink, path, "pollInterval", "10s", "maxPollInterval", "2m");
    positiveDuration(sink, path, "timeout");
  }

  private void connection(JsonNode connection, String path) {
    for (String key : CONNECTION_TEMPLATES) {
      template(connection, path, key, Scope.CONNECTION);
    }
    for (String key : CONNECTION_SECRETS) {
      secretReference(connection, path, key);
    }
    url(connection, path, "baseUrl");
    url(connection, path, "tokenUrl");
    onlyFor(connection, path, "authType", OAUTH_S2S, CONNECTION_AUTH_TYPES, CONNECTION_KEYS);
    positiveDuration(connection, path, "refreshBefore");
  }

  /** A platform dataset ID is written as is: the activities send it without resolving anything. */
  private void datasetId(JsonNode parent, String parentPath) {
    Optional<String> id = text(parent, "datasetId").filter(s -> !s.isEmpty());
    if (id.isEmpty()) {
      return;
    }
    String path = DocPath.key(parentPath, "datasetId");
    if (id.get().contains("${")) {
      problems.add(
          new Problem(
              path,
              "placeholders are not supported in datasetId: write the dataset's ID as the"
                  + " Catalog lists it (sluice platform datasets)"));
    } else if (id.get().isBlank()) {
      problems.add(new Problem(path, "must not be blank"));
    }
  }

  // ---- files ------------------------------------------------------------------------------------

  /** A files source: one of listing or prefix, a pattern that compiles, a files sink, no rows. */
  private void filesSource(JsonNode source, String path, JsonNode root) {
    auth(source.path("auth"), DocPath.key(path, "auth"));
    boolean listing = source.has("listing");
    boolean prefix = source.has("prefix");
    if (listing && prefix) {
      problems.add(
          new Problem(
              DocPath.key(path, "prefix"),
              "a files source lists either an HTTP endpoint (listing) or a directory (prefix),"
                  + " not both: remove one"));
    } else if (!listing && !prefix) {
      problems.add(
          new Problem(
              path,
              "a files source needs listing (an HTTP listing endpoint) or prefix (a directory"
                  + " URI) to list its files"));
    }
    if (source.path("listing").isObject()) {
      // The listing runs once per run, before any job exists: the submit's variables.
      request(source.path("listing"), DocPath.key(path, "listing"), Scope.SUBMIT);
      for (String key : List.of("pattern", "recursive")) {
        if (source.has(key)) {
          problems.add(
              new Problem(
                  DocPath.key(path, key),
                  "applies to a prefix listing only; filter an HTTP listing on its side"));
        }
      }
    }
    Optional<String> prefixText = text(source, "prefix").filter(location -> !location.isEmpty());
    if (prefixText.filter(SemanticChecks::isSftp).isPresent()) {
      sftpSource(prefixText.get(), source.path("sftp"), path);
    } else {
      prefixText
          .flatMap(SinkPaths::problem)
          .ifPresent(message -> problems.add(new Problem(DocPath.key(path, "prefix"), message)));
      if (source.has("sftp")) {
        problems.add(
            new Problem(
                DocPath.key(path, "sftp"), "applies to an sftp://user@host/path prefix only"));
      }
    }
    text(source, "pattern").filter(p -> !p.isEmpty()).ifPresent(p -> filePattern(p, path));
    if (!text(root.path("sink"), "type").orElse("files").equals("files")) {
      problems.add(
          new Problem(
              "sink.type",
              "a files source lands files byte for byte: use a files sink (type: files, path:"
                  + " <directory>)"));
    }
    if (root.has("incremental")) {
      problems.add(
          new Problem(
              "incremental",
              "a files source keeps no watermark: files already landed with the same size and"
                  + " modification time are skipped; remove the 'incremental' section"));
    }
    if (root.has("defer")) {
      problems.add(
          new Problem("defer", "a files source lands files, not rows: remove the 'defer' section"));
    }
  }

  private void filePattern(String pattern, String path) {
    String syntax =
        pattern.startsWith("regex:") || pattern.startsWith("glob:") ? pattern : "glob:" + pattern;
    try {
      java.nio.file.FileSystems.getDefault().getPathMatcher(syntax);
    } catch (IllegalArgumentException e) {
      problems.add(
          new Problem(
              DocPath.key(path, "pattern"),
              "does not compile: " + e.getMessage().lines().findFirst().orElse("")));
    }
  }

  private void filesSink(JsonNode sink, String path, JsonNode root) {
    text(sink, "path")
        .filter(location -> !location.isEmpty())
        .flatMap(SinkPaths::problem)
        .ifPresent(message -> problems.add(new Problem(DocPath.key(path, "path"), message)));
    String sourceType = text(root.path("source"), "type").orElse("files");
    if (!sourceType.equals("files")) {
      problems.add(
          new Problem(
              DocPath.key(path, "type"),
              "a files sink lands the files of a files source; a "
                  + sourceType
                  + " source lands rows: use a parquet sink"));
    }
  }

  // ---- deferral ---------------------------------------------------------------------------------

  private void deferral(JsonNode defer, String path, JsonNode sinkColumns) {
    if (!defer.isObject()) {
      return;
    }
    positiveDuration(defer, path, "retention");
    text(defer, "path")
        .filter(location -> !location.isEmpty())
        .flatMap(SinkPaths::problem)
        .ifPresent(message -> problems.add(new Problem(DocPath.key(path, "path"), message)));
    List<String> declared = new ArrayList<>();
    if (sinkColumns.isArray()) {
      sinkColumns.forEach(column -> text(column, "name").ifPresent(declared::add));
    }
    if (declared.isEmpty()) {
      return; // columns are inferred from the data: nothing to check the names against here
    }
    for (String key : List.of("requiredFields", "key")) {
      JsonNode names = defer.path(key);
      if (!names.isArray()) {
        continue;
      }
      for (int i = 0; i < names.size(); i++) {
        JsonNode name = names.get(i);
        if (name.isTextual()
            && !name.textValue().isEmpty()
            && !declared.contains(name.textValue())) {
          problems.add(
              new Problem(
                  DocPath.index(DocPath.key(path, key), i),
                  "'"
                      + name.textValue()
                      + "' is not a declared column"
                      + Suggestions.didYouMean(name.textValue(), declared)
                      + ": when sink.columns is given, the columns deferral reads must be"
                      + " declared there"));
        }
      }
    }
  }

  // ---- parquet ----------------------------------------------------------------------------------

  private void parquetSink(JsonNode sink, String path) {
    table(sink, path);
  }

  /** The Parquet table's keys, shared by the parquet and platform-batch sinks. */
  private void table(JsonNode sink, String path) {
    text(sink, "path")
        .filter(location -> !location.isEmpty())
        .flatMap(SinkPaths::problem)
        .ifPresent(message -> problems.add(new Problem(DocPath.key(path, "path"), message)));
    size(sink, path, "targetFileSize");
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

  // ---- work units -------------------------------------------------------------------------------

  /**
   * The {@code units} block: its list source, its variable, and what it cannot be combined with.
   */
  private void units(JsonNode root) {
    JsonNode units = root.path("units");
    if (!units.isObject()) {
      return;
    }
    String sourceType = text(root.path("source"), "type").orElse("");
    if (!sourceType.isEmpty() && !sourceType.equals("async-http")) {
      problems.add(
          new Problem(
              "units",
              "work units need an async-http source (each unit is one submit, poll and extract);"
                  + " this source is "
                  + sourceType));
    }
    String from = text(units, "from").orElse(units.has("uri") ? "file" : "http");
    if (from.equals("http")) {
      if (!units.path("request").isObject()) {
        problems.add(
            new Problem(
                "units.request",
                "is required when the units are listed over HTTP (or set units.uri to list them"
                    + " from a file)"));
      } else {
        request(units.path("request"), "units.request", Scope.UNIT_LIST);
      }
      for (String fileKey : List.of("uri", "format")) {
        if (units.has(fileKey)) {
          problems.add(
              new Problem(
                  DocPath.key("units", fileKey), "only applies to units listed from a file"));
        }
      }
    } else {
      if (!units.has("uri")) {
        problems.add(new Problem("units.uri", "is required when the units are listed from a file"));
      }
      for (String httpKey : List.of("request", "pointer")) {
        if (units.has(httpKey)) {
          problems.add(
              new Problem(DocPath.key("units", httpKey), "only applies to units listed over HTTP"));
        }
      }
      if (text(units, "format").filter("ndjson"::equals).isPresent() && !units.has("field")) {
        problems.add(
            new Problem(
                "units.field",
                "is required for a JSON-lines list: the field holding each unit's value"));
      }
    }
    if (Templates.variables().contains(unitVariable)) {
      problems.add(
          new Problem(
              units.has("variable") ? "units.variable" : "units",
              "'"
                  + unitVariable
                  + "' is one of the run's own template variables; name the unit another way"
                  + " (e.g. variable: surveyId)"));
    } else if (sourceType.equals("async-http")
        && !root.path("source").toString().contains("${" + unitVariable + "}")) {
      problems.add(
          new Problem(
              units.has("variable") ? "units.variable" : "units",
              "no source request uses ${"
                  + unitVariable
                  + "}: every unit would ingest the same data (filter the submit or extract"
                  + " request by it)"));
    }
    if (root.path("defer").has("path")) {
      problems.add(
          new Problem(
              "defer.path",
              "cannot be combined with work units: each unit defers rows beside its own"
                  + " partition; remove defer.path"));
    }
  }

  // ---- values -----------------------------------------------------------------------------------

  private void template(JsonNode parent, String parentPath, String key, Scope scope) {
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

  private static boolean isSftp(String location) {
    return location.regionMatches(true, 0, "sftp://", 0, 7);
  }

  /**
   * An sftp:// prefix: a user and a host in the URI, a password or a private key, a host-key check
   * (known_hosts, or an explicit opt-out), every secret a reference.
   */
  private void sftpSource(String location, JsonNode sftp, String path) {
    String prefixPath = DocPath.key(path, "prefix");
    String sftpPath = DocPath.key(path, "sftp");
    if (location.contains("${")) {
      problems.add(new Problem(prefixPath, "placeholders are not supported in the prefix"));
      return;
    }
    URI uri;
    try {
      uri = new URI(location);
    } catch (URISyntaxException e) {
      problems.add(
          new Problem(
              prefixPath, "not a valid URI: " + e.getReason() + " at index " + e.getIndex()));
      return;
    }
    if (uri.getHost() == null || uri.getUserInfo() == null || uri.getUserInfo().isEmpty()) {
      problems.add(
          new Problem(prefixPath, "an sftp prefix needs a user and a host: sftp://user@host/path"));
    } else if (uri.getUserInfo().contains(":")) {
      problems.add(
          new Problem(
              prefixPath,
              "name the user only; give the password as a secret reference in "
                  + sftpPath
                  + ".password (pipeline definitions are stored in workflow history)"));
    }
    if (!sftp.isObject()) {
      problems.add(
          new Problem(
              sftpPath,
              "an sftp prefix needs sftp: {password or privateKey, knownHosts} to log in"));
      return;
    }
    for (String key : List.of("password", "privateKey", "knownHosts")) {
      secretReference(sftp, sftpPath, key);
    }
    if (!sftp.has("password") && !sftp.has("privateKey")) {
      problems.add(
          new Problem(sftpPath, "give password or privateKey (a secret reference) to log in"));
    }
    boolean insecure = sftp.path("insecureAcceptAnyHostKey").asBoolean(false);
    if (!sftp.has("knownHosts") && !insecure) {
      problems.add(
          new Problem(
              sftpPath,
              "give knownHosts (a secret reference to known_hosts lines for the server), or"
                  + " insecureAcceptAnyHostKey: true for a sandbox"));
    }
  }

  /**
   * A secret that must be exactly one reference and nothing else: the pipeline travels in workflow
   * inputs, so a value written here, even a part of it around a reference, would sit in history.
   */
  private void secretReference(JsonNode parent, String parentPath, String key) {
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
  private void size(JsonNode parent, String parentPath, String key) {
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
