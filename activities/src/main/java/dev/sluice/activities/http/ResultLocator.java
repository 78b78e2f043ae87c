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
import java.util.ArrayList;
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

  /** The part to locate when the result is one whole ({@code template}, {@code url}). */
  static final int WHOLE = -1;

  /**
   * The answers read before the result: the variables with the answer values added, and the last
   * answer (the last resolve step's, else the status answer), what it was and where it came from.
   */
  private record Answers(Map<String, String> known, JsonNode last, String lastWhat, HttpUrl at) {}

  /** The request of the result's first page, with a URL just asked for. */
  Located locate() {
    return locate(WHOLE);
  }

  /**
   * The request of part {@code part}'s first page ({@link #WHOLE}: the one result), with a URL
   * just asked for.
   *
   * @throws ApplicationFailure {@code ResultPlanInvalid} when the answers no longer have the part
   */
  Located locate(int part) {
    ExtractSpec extract = source.extract();
    Answers asked = ask();
    Map<String, String> known = asked.known();
    String urlTemplate = extract.url();
    if (extract.result() instanceof ResultSpec.Url url) {
      urlTemplate = url.url();
    } else if (extract.result() instanceof ResultSpec.Partitions partitions) {
      requireExists(part, count(asked, partitions), partitions.count(), asked);
      known.put(ResultSpec.Parts.PARTITION, Integer.toString(part));
      urlTemplate = partitions.url();
    } else if (extract.result() instanceof ResultSpec.Urls urls) {
      List<HttpUrl> found = urls(asked, urls, part);
      requireExists(part, found.size(), urls.pointer(), asked);
      urlTemplate = found.get(part).toString();
    }
    Compression compression = Compression.of(extract.compression());
    if (extract.result() instanceof ResultSpec.Named result
        && result.compressionPointer() != null) {
      compression =
          compression(
              AnswerReader.optional(asked.last(), result.compressionPointer()),
              asked.lastWhat());
    }
    String expiresAtPointer = expiresAtPointer(extract.result());
    Instant expiresAt =
        expiresAtPointer == null
            ? null
            : ExpiryTime.of(
                AnswerReader.optional(asked.last(), expiresAtPointer),
                expiresAtPointer,
                asked.lastWhat());
    return new Located(
        render(new RequestSpec("GET", urlTemplate, extract.headers(), null), known),
        compression,
        expiresAt);
  }

  /**
   * How many parts the result has ({@code urls}, {@code partitions}), from fresh answers.
   *
   * @throws ApplicationFailure {@code ResultPlanInvalid} naming the pointer and the answer when
   *     the count is missing, not a number or negative, or the list missing, not a list or empty
   */
  int parts() {
    Answers asked = ask();
    if (source.extract().result() instanceof ResultSpec.Partitions partitions) {
      return count(asked, partitions);
    }
    ResultSpec.Urls urls = (ResultSpec.Urls) source.extract().result();
    List<HttpUrl> found = urls(asked, urls, Integer.MAX_VALUE);
    if (found.isEmpty()) {
      throw invalid("the list at JSON pointer " + urls.pointer() + " is empty", asked.lastWhat());
    }
    return found.size();
  }

  /** Asks for the status when the result needs it, then sends the resolve steps in order. */
  private Answers ask() {
    ExtractSpec extract = source.extract();
    Map<String, String> known = new LinkedHashMap<>(vars);
    ResultSpec.Named result = extract.result() instanceof ResultSpec.Named named ? named : null;
    List<String> statusPointers =
        AnswerValues.pointers(
            AnswerValues.STATUS, AnswerValues.extractTemplates(extract).stream());
    // The last answer is read by a pointer: the status answer when there is no resolve step.
    boolean readsStatus =
        result != null
            && result.resolve().isEmpty()
            && (result.compressionPointer() != null
                || result instanceof ResultSpec.Parts
                || expiresAtPointer(result) != null);
    JsonNode last = null;
    String lastWhat = null;
    HttpUrl at = null;
    if (!statusPointers.isEmpty() || readsStatus) {
      Request call = renderer.render(source.status().request(), known);
      lastWhat = "the status answer (" + HttpFailures.describe(call) + ")";
      last = answers.parse(get(call), lastWhat);
      at = call.url();
      put(known, AnswerValues.STATUS, answers.values(last, statusPointers, lastWhat));
    }
    if (result != null) {
      List<RequestSpec> steps = result.resolve();
      for (int i = 0; i < steps.size(); i++) {
        Request call = render(steps.get(i), known);
        lastWhat =
            "the answer of extract.result.resolve[" + i + "] (" + HttpFailures.describe(call) + ")";
        last = answers.parse(get(call), lastWhat);
        at = call.url();
        String urlTemplate = urlTemplate(result);
        List<String> next =
            i + 1 < steps.size()
                ? AnswerValues.templates(steps.get(i + 1))
                : urlTemplate == null ? List.of() : List.of(urlTemplate);
        known.keySet().removeIf(name -> name.startsWith(AnswerValues.RESOLVED));
        put(
            known,
            AnswerValues.RESOLVED,
            answers.values(
                last, AnswerValues.pointers(AnswerValues.RESOLVED, next.stream()), lastWhat));
      }
    }
    return new Answers(known, last, lastWhat, at);
  }

  /** The URL template of a result that has one. */
  private static String urlTemplate(ResultSpec.Named result) {
    if (result instanceof ResultSpec.Url url) {
      return url.url();
    }
    return result instanceof ResultSpec.Partitions partitions ? partitions.url() : null;
  }

  /** The partition count at {@code count}: a number, or the size of an array. */
  private static int count(Answers asked, ResultSpec.Partitions partitions) {
    String pointer = partitions.count();
    JsonNode count = AnswerReader.optional(asked.last(), pointer);
    if (count == null) {
      throw invalid("JSON pointer " + pointer + " finds no partition count", asked.lastWhat());
    }
    if (count.isArray()) {
      return count.size();
    }
    if (!count.canConvertToInt() || !count.isIntegralNumber() || count.intValue() < 0) {
      throw invalid(
          "the partition count at JSON pointer "
              + pointer
              + " is not a number of partitions but "
              + abbreviated(count),
          asked.lastWhat());
    }
    return count.intValue();
  }

  /**
   * The URLs of the list at {@code pointer}, followed through {@code nextPointer} until it holds
   * more than {@code part} URLs or ends.
   */
  private List<HttpUrl> urls(Answers asked, ResultSpec.Urls spec, int part) {
    List<HttpUrl> found = new ArrayList<>();
    JsonNode answer = asked.last();
    String what = asked.lastWhat();
    HttpUrl at = asked.at();
    while (true) {
      JsonNode list = AnswerReader.optional(answer, spec.pointer());
      if (list == null) {
        throw invalid("JSON pointer " + spec.pointer() + " finds no list of URLs", what);
      }
      if (!list.isArray()) {
        throw invalid(
            "the value at JSON pointer "
                + spec.pointer()
                + " is not a list but "
                + abbreviated(list),
            what);
      }
      for (int i = 0; i < list.size(); i++) {
        JsonNode element =
            spec.urlPointer() == null
                ? list.get(i)
                : AnswerReader.optional(list.get(i), spec.urlPointer());
        HttpUrl url =
            element == null || !element.isTextual() || element.asText().isEmpty()
                ? null
                : at.resolve(element.asText());
        if (url == null) {
          throw invalid(
              "element "
                  + i
                  + " of the list at JSON pointer "
                  + spec.pointer()
                  + (spec.urlPointer() == null ? "" : " has no URL at " + spec.urlPointer())
                  + (spec.urlPointer() == null ? " is not a URL" : ""),
              what);
        }
        found.add(url);
      }
      JsonNode next =
          spec.nextPointer() == null ? null : AnswerReader.optional(answer, spec.nextPointer());
      if (found.size() > part || next == null || next.asText().isEmpty()) {
        return found;
      }
      at = at.resolve(next.asText());
      if (at == null) {
        throw invalid("the value at JSON pointer " + spec.nextPointer() + " is not a URL", what);
      }
      // Asked as the answer before it was: with the last resolve step's headers, or the status'.
      List<RequestSpec> steps = spec.resolve();
      Map<String, String> headers =
          steps.isEmpty()
              ? source.status().request().headers()
              : steps.get(steps.size() - 1).headers();
      Request call = render(new RequestSpec("GET", at.toString(), headers, null), asked.known());
      what = "the answer at " + spec.nextPointer() + " (" + HttpFailures.describe(call) + ")";
      answer = answers.parse(get(call), what);
    }
  }

  private static void requireExists(int part, int parts, String pointer, Answers asked) {
    if (part < 0 || part >= parts) {
      throw invalid(
          "part "
              + part
              + " no longer exists: JSON pointer "
              + pointer
              + " now names "
              + parts
              + " parts",
          asked.lastWhat());
    }
  }

  private static String abbreviated(JsonNode value) {
    String text = value.toString();
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }

  private static ApplicationFailure invalid(String problem, String what) {
    return ApplicationFailure.newNonRetryableFailure(
        problem + " in " + what, FailureType.RESULT_PLAN_INVALID.type());
  }

  /**
   * How an expired URL of part {@code part} ({@link #WHOLE}: the one result) is replaced: {@link
   * #locate(int)} again.
   *
   * @param first the part as first located: its URL's expiry, if known, is the first one watched
   */
  ResultRefresh refresh(int part, Located first) {
    ResultSpec.Named result = (ResultSpec.Named) source.extract().result();
    return new ResultRefresh(
        Pattern.compile(result.expiredWhen()),
        result.maxRefreshes(),
        first.expiresAt(),
        () -> {
          Located fresh = locate(part);
          return new ResultRefresh.FreshUrl(fresh.firstPage(), fresh.expiresAt());
        });
  }

  /** {@code expiresAtPointer} of a {@code url} result; null for the other types. */
  private static String expiresAtPointer(ResultSpec result) {
    return result instanceof ResultSpec.Url url ? url.expiresAtPointer() : null;
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
