package dev.sluice.starter.spec;

import static dev.sluice.starter.spec.CheckContext.text;
import static dev.sluice.starter.spec.CheckContext.written;

import com.fasterxml.jackson.databind.JsonNode;
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
   * {@code extract.result}: keys of its type only; {@code url} names the result instead of {@code
   * extract.url}; resolve steps in order, each over the answer before it; pointers and the expiry
   * regex that parse.
   */
  private void result(JsonNode extract, String extractPath) {
    JsonNode result = extract.path("result");
    String path = DocPath.key(extractPath, "result");
    ctx.onlyForType(result, path, ResultSpec.class, ResultSpec.TEMPLATE);
    String type = text(result, "type").orElse(Components.typeName(ResultSpec.TEMPLATE));
    if (!type.equals(Components.typeName(ResultSpec.Url.class))) {
      return;
    }
    if (extract.has("url")) {
      ctx.problems.add(
          new Problem(
              DocPath.key(extractPath, "url"),
              "not used when extract.result.type is url: extract.result.url names the result"));
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
    ctx.template(result, path, "url", resolve.isEmpty() ? Scope.EXTRACT : Scope.RESULT);
    ctx.url(result, path, "url");
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
