package dev.sluice.activities.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import okhttp3.FormBody;

/**
 * The OAuth2 refresh-token grant (RFC 6749 §6) with resolved credentials: HTTP sources' {@code
 * oauth2-refresh-token}, e.g. Login with Amazon for SP-API. {@link #toString()} hides the secrets.
 *
 * @param tokenUrl token endpoint
 * @param clientId client ID
 * @param clientSecret client secret (resolved value)
 * @param refreshToken refresh token (resolved value)
 * @param refreshBefore refresh a cached token this long before it expires
 * @param defaultTtl token lifetime when the endpoint gives no {@code expires_in}
 */
public record RefreshTokenGrant(
    String tokenUrl,
    String clientId,
    String clientSecret,
    String refreshToken,
    Duration refreshBefore,
    Duration defaultTtl)
    implements TokenGrant {

  @Override
  public String describe() {
    return "token endpoint " + tokenUrl;
  }

  @Override
  public String cacheKey() {
    return TokenCache.keyOf("refresh_token", tokenUrl, clientId, clientSecret, refreshToken);
  }

  @Override
  public FormBody form() {
    return new FormBody.Builder()
        .add("grant_type", "refresh_token")
        .add("refresh_token", refreshToken)
        .add("client_id", clientId)
        .add("client_secret", clientSecret)
        .build();
  }

  @Override
  public Duration lifetime(JsonNode expiresIn) {
    return new ClientCredentialsGrant(null, tokenUrl, clientId, null, null, refreshBefore, defaultTtl)
        .lifetime(expiresIn);
  }

  @Override
  public String toString() {
    return "RefreshTokenGrant[tokenUrl=" + tokenUrl + ", clientId=" + clientId + "]";
  }
}
