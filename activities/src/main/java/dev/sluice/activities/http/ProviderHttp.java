package dev.sluice.activities.http;

import dev.sluice.activities.auth.Authenticator;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends requests to one provider: adds authentication, retries once with fresh credentials after a
 * 401, counts every response, and turns unwanted answers into typed failures ({@link
 * HttpFailures}). Built per activity call; the client it wraps is the worker's.
 *
 * @param client the worker's client (or a per-source variant of it)
 * @param auth the source's authentication
 * @param metrics where responses are counted
 * @param clock turns a {@code Retry-After} date into a delay
 */
public record ProviderHttp(
    OkHttpClient client, Authenticator auth, HttpMetrics metrics, Clock clock) {
  /**
   * Sends {@code request} and returns its 2xx response, which the caller must close.
   *
   * @throws ApplicationFailure {@link FailureType#HTTP_CLIENT_ERROR} (non-retryable) for a 4xx
   *     other than 401/408/429; {@link FailureType#AUTH_FAILED} (non-retryable) for a 401 that
   *     fresh credentials do not cure; {@link FailureType#HTTP_TRANSIENT} (retryable, honouring
   *     {@code Retry-After}) for 5xx, 408, 429 and I/O errors
   */
  public Response execute(Request request) {
    return execute(request, status -> false);
  }

  /**
   * Like {@link #execute(Request)}, but also returns responses whose status {@code accepted}
   * matches (e.g. 404 for a delete of something already gone).
   */
  public Response execute(Request request, IntPredicate accepted) {
    return execute(request, accepted, call -> {});
  }

  /**
   * This provider with a whole-call deadline on every request: from sending it to the last byte of
   * its body, which the caller must read before {@code deadline} passes (OkHttp's {@code
   * callTimeout}; past it the call fails with an {@code InterruptedIOException}, also in the middle
   * of the body). The worker's client is shared: only the timeout differs.
   */
  public ProviderHttp withCallTimeout(Duration deadline) {
    return new ProviderHttp(client.newBuilder().callTimeout(deadline).build(), auth, metrics, clock);
  }

  /**
   * Like {@link #execute(Request)}; each {@link Call} made is handed to {@code onCall} before it is
   * executed, so another thread can cancel it.
   *
   * @throws ApplicationFailure as {@link #execute(Request)}
   */
  public Response executeCancellable(Request request, Consumer<Call> onCall) {
    return execute(request, status -> false, onCall);
  }

  /**
   * Like {@link #executeCancellable(Request, Consumer)}, but also returns responses whose status
   * {@code accepted} matches.
   */
  public Response execute(Request request, IntPredicate accepted, Consumer<Call> onCall) {
    Request authenticated = auth.authenticate(request);
    Response response = send(authenticated, onCall);
    if (response.code() == 401 && !accepted.test(401)) {
      String first = HttpFailures.bodySnippet(response);
      response.close();
      if (!auth.refreshAfterUnauthorized(authenticated)) {
        throw unauthorized(request, first);
      }
      response = send(auth.authenticate(request), onCall);
      if (response.code() == 401) {
        String second = HttpFailures.bodySnippet(response);
        response.close();
        throw unauthorized(request, second);
      }
    }
    if (response.isSuccessful() || accepted.test(response.code())) {
      return response;
    }
    try (Response failed = response) {
      throw HttpFailures.forStatus(failed, clock);
    }
  }

  private Response send(Request request, Consumer<Call> onCall) {
    Response response;
    try {
      Call call = client.newCall(request);
      onCall.accept(call);
      response = call.execute();
    } catch (IOException e) {
      throw HttpFailures.forIo(request, e);
    }
    metrics.response(request.url().host(), response.code());
    return response;
  }

  private static ApplicationFailure unauthorized(Request request, String body) {
    return ApplicationFailure.newNonRetryableFailure(
        HttpFailures.describe(request) + " answered HTTP 401 with current credentials: " + body,
        FailureType.AUTH_FAILED.type());
  }
}
