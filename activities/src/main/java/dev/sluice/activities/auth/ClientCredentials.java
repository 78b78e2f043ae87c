package dev.sluice.activities.auth;

import java.time.Duration;

/**
 * Resolved settings of an OAuth2 client-credentials grant. {@link #toString()} hides the secret.
 *
 * @param tokenUrl token endpoint
 * @param clientId client ID
 * @param clientSecret client secret (resolved value)
 * @param scope requested scope, or null
 * @param refreshBefore refresh a cached token this long before it expires
 * @param defaultTtl token lifetime when the endpoint gives no {@code expires_in}
 */
record ClientCredentials(
    String tokenUrl,
    String clientId,
    String clientSecret,
    String scope,
    Duration refreshBefore,
    Duration defaultTtl) {

  @Override
  public String toString() {
    return "ClientCredentials[tokenUrl=" + tokenUrl + ", clientId=" + clientId + "]";
  }
}
