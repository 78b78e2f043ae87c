package dev.sluice.activities.auth;

import okhttp3.Request;

/**
 * {@code Authorization: Bearer} with a token of a {@link TokenGrant}, from the worker's {@link
 * OAuthTokens}. After a 401 the rejected token is dropped, so the one retry fetches a new one.
 *
 * @param tokens the worker's tokens
 * @param grant how to obtain this connection's token
 */
public record BearerAuthenticator(OAuthTokens tokens, TokenGrant grant) implements Authenticator {
  private static final String BEARER = "Bearer ";

  @Override
  public Request authenticate(Request request) {
    return request
        .newBuilder()
        .header("Authorization", BEARER + tokens.get(grant).value())
        .build();
  }

  @Override
  public boolean refreshAfterUnauthorized(Request rejected) {
    String authorization = rejected.header("Authorization");
    if (authorization != null && authorization.startsWith(BEARER)) {
      tokens.invalidate(grant, authorization.substring(BEARER.length()));
    }
    return true;
  }

  @Override
  public String toString() {
    return "BearerAuthenticator[" + grant.tokenUrl() + "]";
  }
}
