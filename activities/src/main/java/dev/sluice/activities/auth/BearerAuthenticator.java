package dev.sluice.activities.auth;

import java.util.regex.Pattern;
import okhttp3.Request;

/**
 * {@code Authorization: Bearer} (or the bare token in another {@code header}) with a token of a
 * {@link TokenGrant}, from the worker's {@link
 * OAuthTokens}. After a 401, or a 403 that says the token was refused, the rejected token is
 * dropped, so the one retry fetches a new one.
 *
 * @param tokens the worker's tokens
 * @param grant how to obtain this connection's token
 * @param header the header carrying it
 */
public record BearerAuthenticator(OAuthTokens tokens, TokenGrant grant, String header)
    implements Authenticator {
  private static final String BEARER = "Bearer ";
  private static final String AUTHORIZATION = "Authorization";

  /**
   * A 403 body that says the token itself was refused, not the caller's rights: SP-API's {@code
   * "code": "Unauthorized"} ("The access token you provided has expired" / "is revoked, malformed
   * or invalid"), OAuth's {@code invalid_token}, or a message about the access token.
   */
  private static final Pattern TOKEN_REFUSED =
      Pattern.compile(
          "(?i)\"code\"\\s*:\\s*\"Unauthorized\"|invalid_token|access token|token (has )?expired");

  /** The token as {@code Authorization: Bearer <token>}. */
  public BearerAuthenticator(OAuthTokens tokens, TokenGrant grant) {
    this(tokens, grant, AUTHORIZATION);
  }

  /** {@code Bearer } in {@code Authorization}, nothing in another header. */
  private String prefix() {
    return header.equalsIgnoreCase(AUTHORIZATION) ? BEARER : "";
  }

  @Override
  public Request authenticate(Request request) {
    return request.newBuilder().header(header, prefix() + tokens.get(grant).value()).build();
  }

  @Override
  public boolean refreshAfterUnauthorized(Request rejected) {
    String sent = rejected.header(header);
    if (sent != null && sent.startsWith(prefix())) {
      tokens.invalidate(grant, sent.substring(prefix().length()));
    }
    return true;
  }

  @Override
  public boolean refreshAfterForbidden(Request rejected, String body) {
    return TOKEN_REFUSED.matcher(body).find() && refreshAfterUnauthorized(rejected);
  }

  @Override
  public String toString() {
    return "BearerAuthenticator[" + grant.tokenUrl() + "]";
  }
}
