package dev.sluice.activities.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import okhttp3.FormBody;

/**
 * The OAuth2 client-credentials grant (RFC 6749 §4.4) with resolved credentials: HTTP sources'
 * {@code oauth2-client-credentials} and the platform's {@code oauth-server-to-server}. {@link
 * #toString()} hides the secret.
 *
 * @param endpointName what messages call the endpoint ({@code "token endpoint"}, {@code "IMS token
 *     endpoint"})
 * @param tokenUrl token endpoint
 * @param clientId client ID
 * @param clientSecret client secret (resolved value)
 * @param scope requested scope, or null for none
 * @param refreshBefore refresh a cached token this long before it expires
 * @param defaultTtl token lifetime when the endpoint gives no {@code expires_in}
 */
public record ClientCredentialsGrant(
    String endpointName,
    String tokenUrl,
    String clientId,
    String clientSecret,
    String scope,
    Duration refreshBefore,
    Duration defaultTtl)
    implements TokenGrant {

  @Override
  public String describe() {
    return endpointName + " " + tokenUrl;
  }

  @Override
  public String cacheKey() {
    return TokenCache.keyOf("client_credentials", tokenUrl, clientId, clientSecret, scope);
  }

  @Override
  public FormBody form() {
    FormBody.Builder form =
        new FormBody.Builder()
            .add("grant_type", "client_credentials")
            .add("client_id", clientId)
            .add("client_secret", clientSecret);
    if (scope != null) {
      form.add("scope", scope);
    }
    return form.build();
  }

  /** {@code expires_in} seconds when given (as a number or text), else {@code defaultTtl}. */
  @Override
  public Duration lifetime(JsonNode expiresIn) {
    return expiresIn.canConvertToLong() || expiresIn.isTextual() && !expiresIn.asText().isBlank()
        ? Duration.ofSeconds(expiresIn.asLong())
        : defaultTtl;
  }

  @Override
  public String toString() {
    return "ClientCredentialsGrant[tokenUrl=" + tokenUrl + ", clientId=" + clientId + "]";
  }
}
