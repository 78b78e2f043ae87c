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
 * 401 (or a 403 saying the token was refused, as SP-API answers), counts every response, and turns
 * unwanted answers into typed failures ({@link HttpFailures}). Built per activity call; the client
 * it wraps is the worker's.
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
   *     other than 401/408/429; {@link FailureType#AUTH_FAILED} (non-retryable) for a 401 (or a 403
   *     refusing the token) that fresh credentials do not cure; {@link FailureType#HTTP_TRANSIENT}
   *     (retryable, honouring {@code Retry-After}) for 5xx, 408, 429 and I/O errors
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
    return new ProviderHttp(
        client.newBuilder().callTimeout(deadline).build(), auth, metrics, clock);
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
    int code = response.code();
    if ((code == 401 && !accepted.test(401)) || tokenRefused(response, authenticated)) {
      String first = HttpFailures.bodySnippet(response);
      response.close();
      if (code == 401 && !auth.refreshAfterUnauthorized(authenticated)) {
        throw refused(request, code, first, "with current credentials");
      }
      // Sent again only after an answer: the provider refused it, so nothing was created. A
      // connection failure of anything but a read is never retried here (HttpClients).
      response = send(auth.authenticate(request), onCall);
      if (response.code() == code) {
        String second = HttpFailures.bodySnippet(response);
        response.close();
        throw refused(
            request,
            code,
            second,
            code == 401 ? "with current credentials" : "again after a fresh access token");
      }
    }
    if (response.isSuccessful() || accepted.test(response.code())) {
      return response;
    }
    try (Response failed = response) {
      throw HttpFailures.forStatus(failed, clock);
    }
  }

  /**
   * A 403 to a request this auth authenticated whose body says the token was refused ({@link
   * Authenticator#refreshAfterForbidden}); its credentials are dropped then. A 403 of a URL that
   * got no credentials (a pre-signed S3 URL) never is.
   */
  private boolean tokenRefused(Response response, Request authenticated) {
    if (response.code() != 403) {
      return false;
    }
    try {
      return auth.refreshAfterForbidden(authenticated, response.peekBody(8192).string());
    } catch (IOException e) {
      return false; // the body is read again below, and its failure reported there
    }
  }

  private Response send(Request request, Consumer<Call> onCall) {
    Response response;
    try {
      OkHttpClient sender =
          HttpClients.isRepeatable(request) ? HttpClients.forReads(client) : client;
      Call call = sender.newCall(request);
      onCall.accept(call);
      response = call.execute();
    } catch (IOException e) {
      throw HttpFailures.forIo(request, e);
    }
    metrics.response(request.url().host(), response.code());
    return response;
  }

  private static ApplicationFailure refused(Request request, int code, String body, String how) {
    return ApplicationFailure.newNonRetryableFailure(
        HttpFailures.describe(request) + " answered HTTP " + code + " " + how + ": " + body,
        FailureType.AUTH_FAILED.type());
  }
}
