package dev.sluice.activities.http;

import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.activities.template.Templates;
import dev.sluice.pipeline.RequestSpec;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Builds OkHttp requests from a source's {@link RequestSpec} templates and a run's variables.
 * Failures name the URL <em>template</em>, never the rendered URL, which may hold a secret.
 */
public final class RequestRenderer {
  /** Content type of a body whose spec sets none. */
  public static final String DEFAULT_CONTENT_TYPE = "application/json";

  private final SecretResolver secrets;

  /**
   * @param secrets resolves secret references in URLs, headers and bodies
   */
  public RequestRenderer(SecretResolver secrets) {
    this.secrets = secrets;
  }

  /**
   * The request {@code spec} describes, with {@code vars} substituted. A body is sent with the
   * spec's {@code Content-Type} header, or {@value #DEFAULT_CONTENT_TYPE}; a method that needs a
   * body but has none sends an empty one.
   *
   * @throws ApplicationFailure non-retryable {@link FailureType#INVALID_PIPELINE} for a URL that
   *     does not parse, a body on a method that allows none, or a bad template
   */
  public Request render(RequestSpec spec, Map<String, String> vars) {
    Request.Builder request =
        new Request.Builder()
            .url(url(spec.url(), vars))
            .tag(SecretValues.class, new SecretValues(secretsIn(spec.url())));
    String contentType = DEFAULT_CONTENT_TYPE;
    for (Map.Entry<String, String> header : spec.headers().entrySet()) {
      String value = Templates.render(header.getValue(), vars, secrets);
      if (header.getKey().equalsIgnoreCase("Content-Type")) {
        contentType = value;
      } else {
        request.header(header.getKey(), value);
      }
    }
    String body = Templates.render(spec.body(), vars, secrets);
    return request.method(spec.method(), body(spec, body, contentType)).build();
  }

  /**
   * A rendered URL template.
   *
   * @throws ApplicationFailure non-retryable {@link FailureType#INVALID_PIPELINE} when it is not
   *     an absolute http(s) URL
   */
  public HttpUrl url(String template, Map<String, String> vars) {
    if (template == null) {
      throw invalid("a request has no url");
    }
    HttpUrl url = HttpUrl.parse(Templates.render(template, vars, secrets));
    if (url == null) {
      throw invalid("url template '" + template + "' does not render to an absolute http(s) URL");
    }
    return url;
  }

  /** The values of the secret references in {@code template}, so messages can hide them. */
  private Set<String> secretsIn(String template) {
    Set<String> values = new HashSet<>();
    int open = template == null ? -1 : template.indexOf("${");
    while (open >= 0) {
      int close = template.indexOf('}', open + 2);
      if (close < 0) {
        break;
      }
      String name = template.substring(open + 2, close);
      if (SecretResolver.isReference(name)) {
        values.add(secrets.resolve(name));
      }
      open = template.indexOf("${", close + 1);
    }
    return values;
  }

  private static RequestBody body(RequestSpec spec, String body, String contentType) {
    if (body == null) {
      // OkHttp refuses POST/PUT/PATCH without a body; an empty one is what the provider means.
      return requiresBody(spec.method()) ? RequestBody.create(new byte[0]) : null;
    }
    if (spec.method().equals("GET") || spec.method().equals("HEAD")) {
      throw invalid("method " + spec.method() + " of '" + spec.url() + "' cannot have a body");
    }
    MediaType mediaType = MediaType.parse(contentType);
    if (mediaType == null) {
      throw invalid("Content-Type '" + contentType + "' of '" + spec.url() + "' does not parse");
    }
    // Bytes, not String: OkHttp would otherwise append "; charset=utf-8" to the declared type.
    return RequestBody.create(body.getBytes(StandardCharsets.UTF_8), mediaType);
  }

  private static boolean requiresBody(String method) {
    return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_PIPELINE.type());
  }
}
