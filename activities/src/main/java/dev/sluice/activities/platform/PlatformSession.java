package dev.sluice.activities.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.http.ProviderClients;
import dev.sluice.activities.http.ProviderHttp;
import dev.sluice.pipeline.PlatformConnectionSpec;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.function.IntPredicate;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One platform connection for one activity call (or one CLI command): resolved credentials, the IMS
 * authenticator and the worker's shared {@link ProviderClients} (client, token cache, meters).
 */
final class PlatformSession {
  final ResolvedConnection connection;
  final ProviderHttp http;
  private final ObjectMapper mapper;

  PlatformSession(PlatformConnectionSpec spec, ProviderClients providers) {
    this.connection = ResolvedConnection.resolve(spec, providers.secrets());
    this.mapper = providers.json();
    this.http =
        new ProviderHttp(
            providers.http(),
            new PlatformAuthenticator(connection, providers.tokens(), mapper),
            providers.metrics(),
            providers.clock());
  }

  /** Sends {@code request}; see {@link ProviderHttp#execute(Request, IntPredicate)}. */
  Response execute(Request request, IntPredicate accepted) {
    return http.execute(request, accepted);
  }

  /** GETs {@code url} and parses its JSON answer (an empty body is an empty object). */
  JsonNode getJson(HttpUrl url) {
    Request request =
        new Request.Builder().url(url).header("Accept", "application/json").get().build();
    try (Response response = http.execute(request)) {
      return json(request, response);
    }
  }

  /** The JSON body of a successful response (an empty body is an empty object). */
  JsonNode json(Request request, Response response) {
    try {
      String body = response.body() == null ? "" : response.body().string();
      JsonNode node = body.isBlank() ? mapper.createObjectNode() : mapper.readTree(body);
      return node == null ? mapper.createObjectNode() : node;
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(
          request.method()
              + " "
              + request.url().encodedPath()
              + ": unreadable JSON answer: "
              + e.getMessage(),
          FailureType.HTTP_TRANSIENT.type(),
          e);
    }
  }

  /**
   * Follows a link the platform returned: an absolute URL on the base URL's origin, or a Catalog
   * link {@code @/path} (relative to {@code <base>/catalog}).
   *
   * @throws ApplicationFailure non-retryable {@link FailureType#HTTP_CLIENT_ERROR} for a link to
   *     another origin: the bearer token is only ever sent to the configured platform
   */
  HttpUrl link(String href) {
    if (href.startsWith("@/")) {
      HttpUrl relative = connection.url("catalog").build().resolve("catalog/" + href.substring(2));
      // resolve() against ".../catalog" replaces its last segment; ".../catalog/x" comes back.
      if (relative != null) {
        return relative;
      }
    }
    HttpUrl url = HttpUrl.parse(href);
    HttpUrl base = connection.baseUrl();
    if (url == null
        || !url.scheme().equals(base.scheme())
        || !url.host().equals(base.host())
        || url.port() != base.port()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the platform returned a link outside "
              + base.scheme()
              + "://"
              + base.host()
              + ":"
              + base.port()
              + " ("
              + href
              + "); not following it with platform credentials",
          FailureType.HTTP_CLIENT_ERROR.type());
    }
    return url;
  }

  /**
   * The entity of a Catalog answer keyed by ID ({@code {"<id>": {...}}}), or the answer itself when
   * it is flat ({@code {"id": ..., "status": ...}}).
   */
  static JsonNode entity(JsonNode root) {
    if (root.has("id") || root.has("status") || root.size() != 1) {
      return root;
    }
    JsonNode only = root.elements().next();
    return only.isObject() ? only : root;
  }

  /** The ID of an entity returned keyed by ID, or in its {@code id} field. */
  static String entityId(JsonNode root) {
    if (root.path("id").isTextual()) {
      return root.get("id").asText();
    }
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    if (root.size() == 1) {
      Map.Entry<String, JsonNode> only = fields.next();
      JsonNode inner = only.getValue().path("id");
      return inner.isTextual() ? inner.asText() : only.getKey();
    }
    return null;
  }
}
