package dev.sluice.starter.spec;

import static dev.sluice.starter.spec.CheckContext.text;
import static dev.sluice.starter.spec.CheckContext.written;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipeline.AuthSpec.OAuth2ClientCredentials;
import dev.sluice.pipeline.AuthSpec;
import dev.sluice.pipeline.Components;
import dev.sluice.pipeline.DataSize;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.PaginationSpec;
import dev.sluice.pipeline.ResultSpec;
import dev.sluice.pipeline.StatusSpec;
import dev.sluice.starter.spec.Templates.Scope;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The checks of an {@code async-http} source: its auth, requests, polling, format and paging. */
final class HttpSourceChecks {
  private static final String OAUTH2 = Components.typeName(OAuth2ClientCredentials.class);

  /** Auth values that are templates (secret references): every text key of every auth type. */
  private static final Set<String> AUTH_TEMPLATES = keysOfAuth(Components::textKeys);

  /** Auth values that are secrets ({@code @Secret}): only ever a reference, resolved by workers. */
  private static final Set<String> AUTH_SECRETS = keysOfAuth(Components::secretKeys);

  // A value is held in memory whole (one Java array): this is the most one may take.
  private static final long MAX_FIELD_SIZE = 1L << 30;
  private static final Map<String, Set<String>> REQUEST_ID_KEYS =
      Map.of("pointer", Set.of("body"), "header", Set.of("header"));
  private static final Set<String> REQUEST_ID_SOURCES = Set.of("body", "header");

  private final CheckContext ctx;

  private static Set<String> keysOfAuth(Function<Class<?>, List<String>> keys) {
    Set<String> all = new LinkedHashSet<>();
    Components.types(AuthSpec.class).values().forEach(type -> all.addAll(keys.apply(type)));
    return all;
  }

  HttpSourceChecks(CheckContext ctx) {
    this.ctx = ctx;
  }

  void asyncHttpSource(JsonNode source, String path) {
    auth(source.path("auth"), DocPath.key(path, "auth"));
    submit(source.path("submit"), DocPath.key(path, "submit"));
    status(source.path("status"), DocPath.key(path, "status"));
    extract(source.path("extract"), DocPath.key(path, "extract"));
    JsonNode cleanup = source.path("cleanup");
    String cleanupPath = DocPath.key(path, "cleanup");
    ctx.request(cleanup.path("abort"), DocPath.key(cleanupPath, "abort"), Scope.REQUEST);
    ctx.request(cleanup.path("delete"), DocPath.key(cleanupPath, "delete"), Scope.REQUEST);
    split(source.path("split"), DocPath.key(path, "split"));
    String resultType = source.path("extract").path("result").path("type").asText("");
    if (source.path("split").isObject()
        && (resultType.equals("urls") || resultType.equals("partitions"))) {
      // Not built yet: a split part reads its result whole, and its staged files would not be
      // named as the parts of a result in parts are.
      ctx.problems.add(
          new Problem(
              DocPath.key(path, "split"),
              "cannot be combined with extract.result type "
                  + resultType
                  + " yet: a split part reads its result as one whole"));
    }
    for (String shared : new String[] {"concurrency", "budget"}) {
      if (source.path("split").isObject() && source.path(shared).isObject()) {
        // Not built yet: a split's parts are provider jobs that would not take a permit or be
        // counted against the budget.
        ctx.problems.add(
            new Problem(
                DocPath.key(path, "split"),
                "cannot be combined with source."
                    + shared
                    + " yet: the split's provider jobs would not be counted against it"));
      }
    }
    JsonNode budget = source.path("budget");
    if (budget.isObject() && !budget.has("maxJobsPerDay") && !budget.has("maxBytesPerDay")) {
      ctx.problems.add(
          new Problem(
              DocPath.key(path, "budget"),
              "needs maxJobsPerDay, maxBytesPerDay or both: a budget without a limit limits"
                  + " nothing"));
    }
    ctx.size(budget, DocPath.key(path, "budget"), "maxBytesPerDay");
  }

  /** {@code source.split}: something to split on, a pointer for each limit, a range to halve. */
  private void split(JsonNode split, String path) {
    if (!split.isObject()) {
      return;
    }
    ctx.regex(split, path, "when");
    ctx.size(split, path, "maxBytes");
    ctx.positiveDuration(split, path, "minWindow");
    if (!split.has("when") && !split.has("maxRows") && !split.has("maxBytes")) {
      ctx.problems.add(
          new Problem(path, "says nothing to split on: give when, maxRows or maxBytes"));
    }
    String[][] limits = {{"maxRows", "rowsPointer"}, {"maxBytes", "bytesPointer"}};
    for (String[] limit : limits) {
      if (split.has(limit[0]) && !split.has(limit[1])) {
        ctx.problems.add(
            new Problem(
                DocPath.key(path, limit[0]),
                "needs " + limit[1] + ": where the final status answer says the result's size"));
      }
    }
    if (!ctx.boundedWatermark()) {
      ctx.problems.add(
          new Problem(
              path,
              "halves an incremental window's watermark range, which needs an upper bound:"
                  + " set incremental.openEnd"));
    }
  }

  void auth(JsonNode auth, String path) {
    for (String key : AUTH_TEMPLATES) {
      ctx.template(auth, path, key, Scope.AUTH);
    }
    for (String key : AUTH_SECRETS) {
      ctx.secretReference(auth, path, key);
    }
    ctx.url(auth, path, "tokenUrl");
    ctx.onlyForType(auth, path, AuthSpec.class, AuthSpec.NONE);
    Optional<Duration> refreshBefore = ctx.positiveDuration(auth, path, "refreshBefore");
    Optional<Duration> defaultTtl = ctx.positiveDuration(auth, path, "defaultTtl");
    boolean oauth2 = text(auth, "type").filter(OAUTH2::equals).isPresent();
    Duration refresh = refreshBefore.orElse(OAuth2ClientCredentials.DEFAULT_REFRESH_BEFORE);
    if (oauth2 && refresh.compareTo(defaultTtl.orElse(OAuth2ClientCredentials.DEFAULT_TTL)) >= 0) {
      ctx.problems.add(
          new Problem(
              DocPath.key(path, "refreshBefore"),
              "must be shorter than defaultTtl ("
                  + written(
                      auth, "defaultTtl", Durations.format(OAuth2ClientCredentials.DEFAULT_TTL))
                  + "), or every token is refreshed as soon as it is fetched"));
    }
  }

  private void submit(JsonNode submit, String path) {
    ctx.request(submit, path, Scope.SUBMIT);
    JsonNode requestId = submit.path("requestId");
    String requestIdPath = DocPath.key(path, "requestId");
    ctx.onlyFor(requestId, requestIdPath, "from", "body", REQUEST_ID_SOURCES, REQUEST_ID_KEYS);
    Optional<Pattern> regex = ctx.regex(requestId, requestIdPath, "regex");
    if (regex.isPresent() && regex.get().matcher("").groupCount() < 1) {
      ctx.problems.add(
          new Problem(
              DocPath.key(requestIdPath, "regex"),
              "needs a capturing group: its first group is the request ID"
                  + " (e.g. /jobs/([0-9]+)$)"));
    }
  }

  private void status(JsonNode status, String path) {
    ctx.request(status, path, Scope.REQUEST);
    ctx.regex(status, path, "readyWhen");
    ctx.regex(status, path, "failedWhen");
    pollingIntervals(status, path);
  }

  private void extract(JsonNode extract, String path) {
    ctx.request(extract, path, Scope.EXTRACT);
    result(extract, path);
    ctx.positiveDuration(extract, path, "pageTimeout");
    JsonNode format = extract.path("format");
    format(format, DocPath.key(path, "format"));
    JsonNode pagination = extract.path("pagination");
    String paginationPath = DocPath.key(path, "pagination");
    ctx.onlyForType(pagination, paginationPath, PaginationSpec.class, PaginationSpec.NONE);
    String formatType = text(format, "type").orElse(Components.typeName(FormatSpec.CSV));
    String paginationType =
        text(pagination, "type").orElse(Components.typeName(PaginationSpec.NONE));
    // The styles that find their token at a body pointer read a JSON body.
    boolean readsBody =
        CheckContext.keyTypes(PaginationSpec.class)
            .getOrDefault("pointer", Set.of())
            .contains(paginationType);
    if (readsBody && !holdsDocument(formatType)) {
      ctx.problems.add(
          new Problem(
              DocPath.key(paginationPath, "type"),
              "'"
                  + paginationType
                  + "' pagination reads the next page from a JSON body; format '"
                  + formatType
                  + "' has none (use header-locator, page or offset)"));
    }
  }

  /**
   * {@code extract.result}: keys of its type only; a named result ({@code url}, {@code urls},
   * {@code partitions}) instead of {@code extract.url}; resolve steps in order, each over the
   * answer before it; {@code ${partition}} in a partition's URL; regexes that parse.
   */
  private void result(JsonNode extract, String extractPath) {
    JsonNode result = extract.path("result");
    String path = DocPath.key(extractPath, "result");
    ctx.onlyForType(result, path, ResultSpec.class, ResultSpec.TEMPLATE);
    String type = text(result, "type").orElse(Components.typeName(ResultSpec.TEMPLATE));
    if (type.equals(Components.typeName(ResultSpec.TEMPLATE))
        || !Components.types(ResultSpec.class).containsKey(type)) {
      return;
    }
    if (extract.has("url")) {
      ctx.problems.add(
          new Problem(
              DocPath.key(extractPath, "url"),
              "not used when extract.result.type is "
                  + type
                  + ": extract.result names the result"));
    }
    JsonNode resolve = result.path("resolve");
    for (int i = 0; i < resolve.size(); i++) {
      String step = DocPath.index(DocPath.key(path, "resolve"), i);
      ctx.request(resolve.get(i), step, i == 0 ? Scope.EXTRACT : Scope.RESULT);
      String method = text(resolve.get(i), "method").orElse("GET");
      if (!method.equalsIgnoreCase("GET")) {
        ctx.problems.add(
            new Problem(DocPath.key(step, "method"), "a resolve step is a GET (found " + method + ")"));
      }
    }
    Scope urlScope = resolve.isEmpty() ? Scope.EXTRACT : Scope.RESULT;
    String partition = "${" + ResultSpec.Parts.PARTITION + "}";
    Optional<String> url = text(result, "url");
    if (type.equals(Components.typeName(ResultSpec.Partitions.class)) && url.isPresent()) {
      if (!url.get().contains(partition)) {
        ctx.problems.add(
            new Problem(
                DocPath.key(path, "url"),
                "must use "
                    + partition
                    + " (0 to the count less one): without it every partition downloads the"
                    + " same URL"));
      }
      // ${partition} exists only here: checked as any value, the rest as a template.
      ObjectNode partitionFree = ((ObjectNode) result).deepCopy();
      partitionFree.put("url", url.get().replace(partition, "0"));
      ctx.template(partitionFree, path, "url", urlScope);
      ctx.url(partitionFree, path, "url");
    } else {
      ctx.template(result, path, "url", urlScope);
      ctx.url(result, path, "url");
    }
    ctx.regex(result, path, "expiredWhen");
  }

  /** A page format: keys of its type only, a charset the JVM knows, a value limit that fits. */
  private void format(JsonNode format, String path) {
    ctx.onlyForType(format, path, FormatSpec.class, FormatSpec.CSV);
    Optional<String> charset = text(format, "charset");
    if (charset.isPresent() && !isCharset(charset.get())) {
      ctx.problems.add(
          new Problem(
              DocPath.key(path, "charset"),
              "'"
                  + charset.get()
                  + "' is not a charset Java knows (e.g. UTF-8, ISO-8859-1, windows-1252)"));
    }
    ctx.size(format, path, "maxFieldSize");
    Optional<String> maxFieldSize =
        text(format, "maxFieldSize").filter(DataSize::looksLikeSize);
    try {
      if (maxFieldSize.isPresent() && DataSize.parseBytes(maxFieldSize.get()) > MAX_FIELD_SIZE) {
        ctx.problems.add(
            new Problem(
                DocPath.key(path, "maxFieldSize"),
                "at most 1GB: a value is held in memory whole (found " + maxFieldSize.get() + ")"));
      }
    } catch (IllegalArgumentException e) {
      // Too large to parse: ctx.size() above reported it.
    }
  }

  /** Whether pages of format {@code type} are one JSON document (an unknown type: no). */
  private static boolean holdsDocument(String type) {
    Class<?> format = Components.types(FormatSpec.class).get(type);
    return format != null && ((FormatSpec) RecordDefaults.of(format)).holdsDocument();
  }

  private static boolean isCharset(String name) {
    try {
      return java.nio.charset.Charset.isSupported(name);
    } catch (java.nio.charset.IllegalCharsetNameException e) {
      return false;
    }
  }


  private void pollingIntervals(JsonNode status, String path) {
    StatusSpec defaults = RecordDefaults.of(StatusSpec.class);
    ctx.backoffCeiling(
        status, path, "interval", defaults.interval(), "maxInterval", defaults.maxInterval());
    ctx.positiveDuration(status, path, "timeout");
  }

}
