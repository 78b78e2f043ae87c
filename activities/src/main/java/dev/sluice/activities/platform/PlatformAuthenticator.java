package dev.sluice.activities.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.auth.Authenticator;
import dev.sluice.activities.auth.BearerAuthenticator;
import dev.sluice.activities.auth.ClientCredentialsGrant;
import dev.sluice.activities.auth.OAuthTokens;
import dev.sluice.activities.auth.TokenGrant;
import java.time.Duration;
import okhttp3.Request;

/**
 * Adobe IMS authentication plus the headers every Experience Platform call needs: {@code
 * Authorization: Bearer}, {@code x-api-key} (the client ID), {@code x-gw-ims-org-id} and {@code
 * x-sandbox-name}. The token comes from the server-to-server OAuth grant (the same {@link
 * ClientCredentialsGrant} HTTP sources use) or the older JWT exchange ({@link ImsJwtGrant}); the
 * worker's {@link OAuthTokens} fetch and cache it, and drop it after a 401.
 */
final class PlatformAuthenticator implements Authenticator {
  static final String JWT = "jwt";
  static final String OAUTH = "oauth-server-to-server";

  /** IMS tokens live 24h when the answer gives no {@code expires_in}. */
  private static final Duration IMS_TOKEN_LIFETIME = Duration.ofHours(24);

  private final ResolvedConnection connection;
  private final BearerAuthenticator bearer;

  PlatformAuthenticator(ResolvedConnection connection, OAuthTokens tokens, ObjectMapper mapper) {
    this.connection = connection;
    this.bearer = new BearerAuthenticator(tokens, grant(connection, tokens, mapper));
  }

  private static TokenGrant grant(
      ResolvedConnection connection, OAuthTokens tokens, ObjectMapper mapper) {
    if (JWT.equals(connection.authType())) {
      return new ImsJwtGrant(connection, mapper, tokens.clock());
    }
    String scope = connection.scope();
    return new ClientCredentialsGrant(
        "IMS token endpoint",
        connection.tokenUrl(),
        connection.clientId(),
        connection.clientSecret(),
        scope == null || scope.isBlank() ? null : scope,
        connection.refreshBefore(),
        IMS_TOKEN_LIFETIME);
  }

  @Override
  public Request authenticate(Request request) {
    return bearer
        .authenticate(request)
        .newBuilder()
        .header("x-api-key", connection.clientId())
        .header("x-gw-ims-org-id", connection.imsOrg())
        .header("x-sandbox-name", connection.sandboxName())
        .build();
  }

  @Override
  public boolean refreshAfterUnauthorized(Request rejected) {
    return bearer.refreshAfterUnauthorized(rejected);
  }

  @Override
  public String toString() {
    return "PlatformAuthenticator[" + connection.tokenUrl() + ", " + connection.authType() + "]";
  }
}
