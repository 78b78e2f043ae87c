package dev.sluice.activities.auth;

import okhttp3.Request;

/**
 * Applies a source's authentication to provider requests. Implementations are cheap, built per
 * activity call from the source's {@code AuthSpec}; anything worth keeping between calls (OAuth2
 * tokens) lives in the worker's {@link TokenCache}.
 */
public interface Authenticator {

  /** No authentication: requests pass unchanged. */
  Authenticator NONE =
      new Authenticator() {
        @Override
        public Request authenticate(Request request) {
          return request;
        }

        @Override
        public boolean refreshAfterUnauthorized(Request rejected) {
          return false;
        }
      };

  /**
   * The request with credentials added.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code AUTH_FAILED} when credentials cannot be
   *     obtained (e.g. the token endpoint rejects the client), {@code HTTP_TRANSIENT} when the
   *     token endpoint is unreachable, {@code SECRET_NOT_FOUND} when a secret reference does not
   *     resolve
   */
  Request authenticate(Request request);

  /**
   * Called when the provider answered 401 to {@code rejected} (as returned by {@link
   * #authenticate}): drops the credentials it carried.
   *
   * @return true when fresh credentials may succeed, so the request is worth one more try; false
   *     for static credentials, which would only be rejected again
   */
  boolean refreshAfterUnauthorized(Request rejected);

  /**
   * Called when the provider answered 403 to {@code rejected} (as returned by {@link
   * #authenticate}) with {@code body}: some providers answer an expired or revoked access token
   * with 403 rather than 401 (SP-API: {@code "code": "Unauthorized"}, "The access token you
   * provided has expired"). When the body says so, drops the credentials it carried.
   *
   * @return true when the body says the credentials were rejected and fresh ones may succeed, so
   *     the request is worth one more try; false (the default) for any other 403, which stands
   */
  default boolean refreshAfterForbidden(Request rejected, String body) {
    return false;
  }
}
