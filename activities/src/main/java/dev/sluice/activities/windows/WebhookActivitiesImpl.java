package dev.sluice.activities.windows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.activities.template.Templates;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.batchwindow.WebhookActivities;
import dev.sluice.workflows.batchwindow.WindowMessages.WebhookRequest;
import dev.sluice.workflows.batchwindow.WindowMessages.WebhookResult;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** {@link WebhookActivities} over the worker's OkHttp client. */
public final class WebhookActivitiesImpl implements WebhookActivities {
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final OkHttpClient http;
  private final ObjectMapper mapper;
  private final SecretResolver secrets;

  /**
   * @param http the worker's HTTP client
   * @param mapper the worker's JSON mapper
   * @param secrets resolves references in the URL and header values
   */
  public WebhookActivitiesImpl(OkHttpClient http, ObjectMapper mapper, SecretResolver secrets) {
    this.http = http;
    this.mapper = mapper;
    this.secrets = secrets;
  }

  @Override
  public WebhookResult postWindowSummary(WebhookRequest request) {
    String url = Templates.render(request.url(), Map.of(), secrets);
    // Named without its query string, which may carry a token.
    String where = "POST " + url.replaceFirst("[?].*$", "");
    byte[] body;
    try {
      body = mapper.writeValueAsBytes(request.summary());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialise the window summary", e);
    }
    Request.Builder call = new Request.Builder().url(url).post(RequestBody.create(body, JSON));
    request
        .headers()
        .forEach((name, value) -> call.header(name, Templates.render(value, Map.of(), secrets)));
    try (Response response = http.newCall(call.build()).execute()) {
      int code = response.code();
      if (response.isSuccessful()) {
        return new WebhookResult(code);
      }
      if (code >= 500 || code == 408 || code == 429) {
        throw ApplicationFailure.newFailure(
            where + " answered HTTP " + code, FailureType.HTTP_TRANSIENT.type());
      }
      throw ApplicationFailure.newNonRetryableFailure(
          where + " answered HTTP " + code, FailureType.HTTP_CLIENT_ERROR.type());
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(
          where + " failed: " + e.getMessage(), FailureType.HTTP_TRANSIENT.type(), e);
    }
  }
}
