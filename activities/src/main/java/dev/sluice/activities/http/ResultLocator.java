package dev.sluice.activities.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.activities.formats.Compression;
import dev.sluice.pipeline.AnswerValues;
import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.ExtractSpec;
import dev.sluice.pipeline.RequestSpec;
import dev.sluice.pipeline.ResultSpec;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Finds a ready job's result ({@code extract.result}) inside the extract activity: asks for the
 * status again when the pipeline refers to {@code ${status:/ptr}}, sends the {@code resolve} steps
 * in order, and renders the first page's request. Status and resolved answers (a pre-signed URL
 * is a bearer credential) live only here, never in workflow history; asking again is also how an
 * expired URL is replaced ({@link #refresh}).
 *
 * @param source the source
 * @param vars the run's variables, with the request ID and the {@code ${submit:/ptr}} values
 * @param http sends with {@link #auth}
 * @param auth the source's authentication, applied to the hosts {@code authorization} allows
 * @param renderer renders templates
 * @param answers reads the pointers
 */
record ResultLocator(
    AsyncHttpSource source,
    Map<String, String> vars,
    ProviderHttp http,
    ScopedAuthenticator auth,
    RequestRenderer renderer,
    AnswerReader answers) {

  /**
   * Where the result is, how it is compressed, and when its URL expires.
   *
   * @param expiresAt when the URL expires ({@code expiresAtPointer}), or null when not known
   */
  record Located(Request firstPage, Compression compression, Instant expiresAt) {}

  /** The request of the result's first page, with a URL just asked for. */
  Located locate() {
    ExtractSpec extract = source.extract();
    Map<String, String> known = new LinkedHashMap<>(vars);
    ResultSpec.Url result = extract.result() instanceof ResultSpec.Url url ? url : null;
    List<String> statusPointers =
        AnswerValues.pointers(
            AnswerValues.STATUS, AnswerValues.extractTemplates(extract).stream());
    boolean compressionFromStatus =
        result != null
            && result.resolve().isEmpty()
            && (result.compressionPointer() != null || result.expiresAtPointer() != null);
    JsonNode last = null;
    String lastWhat = null;
    if (!statusPointers.isEmpty() || compressionFromStatus) {
      Request call = renderer.render(source.status().request(), known);
      lastWhat = "the status answer (" + HttpFailures.describe(call) + ")";
      last = answers.parse(get(call), lastWhat);
      put(known, AnswerValues.STATUS, answers.values(last, statusPointers, lastWhat));
    }
    String urlTemplate = extract.url();
    if (result != null) {
      urlTemplate = result.url();
      List<RequestSpec> steps = result.resolve();
      for (int i = 0; i < steps.size(); i++) {
        Request call = render(steps.get(i), known);
        lastWhat =
            "the answer of extract.result.resolve[" + i + "] (" + HttpFailures.describe(call) + ")";
        last = answers.parse(get(call), lastWhat);
        List<String> next =
            i + 1 < steps.size()
                ? AnswerValues.templates(steps.get(i + 1))
                : List.of(result.url());
        known.keySet().removeIf(name -> name.startsWith(AnswerValues.RESOLVED));
        put(
            known,
            AnswerValues.RESOLVED,
            answers.values(
                last, AnswerValues.pointers(AnswerValues.RESOLVED, next.stream()), lastWhat));
      }
    }
    Compression compression = Compression.of(extract.compression());
    if (result != null && result.compressionPointer() != null) {
      compression = compression(AnswerReader.optional(last, result.compressionPointer()), lastWhat);
    }
    Instant expiresAt =
        result != null && result.expiresAtPointer() != null
            ? ExpiryTime.of(
                AnswerReader.optional(last, result.expiresAtPointer()),
                result.expiresAtPointer(),
                lastWhat)
            : null;
    return new Located(
        render(new RequestSpec("GET", urlTemplate, extract.headers(), null), known),
        compression,
        expiresAt);
  }

  /**
   * How an expired result URL is replaced: {@link #locate()} again.
   *
   * @param first the result as first located: its URL's expiry, if known, is the first one watched
   */
  ResultRefresh refresh(Located first) {
    ResultSpec.Url result = (ResultSpec.Url) source.extract().result();
    return new ResultRefresh(
        Pattern.compile(result.expiredWhen()),
        result.maxRefreshes(),
        first.expiresAt(),
        () -> {
          Located fresh = locate();
          return new ResultRefresh.FreshUrl(fresh.firstPage(), fresh.expiresAt());
        });
  }

  /** The request, with its headers only when its host gets the source's authentication. */
  private Request render(RequestSpec spec, Map<String, String> known) {
    HttpUrl url = renderer.url(spec.url(), known);
    return renderer.render(
        auth.authorizes(url)
            ? spec
            : new RequestSpec(spec.method(), spec.url(), Map.of(), spec.body()),
        known);
  }

  private String get(Request call) {
    try (Response response = http.execute(call)) {
      return response.body() == null ? "" : response.body().string();
    } catch (IOException e) {
      throw HttpFailures.forIo(call, e);
    }
  }

  private static void put(Map<String, String> known, String prefix, Map<String, String> values) {
    values.forEach((pointer, value) -> known.put(prefix + pointer, value));
  }

  /** {@code GZIP} (any case) or {@code NONE}; absent: decided by the body ({@code auto}). */
  private static Compression compression(JsonNode value, String what) {
    if (value == null) {
      return Compression.AUTO;
    }
    return switch (value.asText().toUpperCase(Locale.ROOT)) {
      case "GZIP" -> Compression.GZIP;
      case "NONE", "" -> Compression.NONE;
      default ->
          throw ApplicationFailure.newNonRetryableFailure(
              "unknown compression '"
                  + value.asText()
                  + "' in "
                  + what
                  + " (extract.result.compressionPointer); expected GZIP or NONE",
              FailureType.ANSWER_VALUE_MISSING.type());
    };
  }
}
