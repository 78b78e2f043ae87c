package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;

/**
 * Authentication for every request of a source. String fields may hold secret references ({@code
 * ${env:NAME}}, {@code ${file:/path}}), resolved only inside activities.
 *
 * @param type {@code none}, {@code basic}, {@code bearer}, {@code api-key} or {@code
 *     oauth2-client-credentials}
 * @param username basic: user name
 * @param password basic: password
 * @param token bearer: the token
 * @param header api-key: header name (default {@code X-API-Key})
 * @param key api-key: the key
 * @param tokenUrl oauth2: token endpoint
 * @param clientId oauth2: client ID
 * @param clientSecret oauth2: client secret
 * @param scope oauth2: optional scope
 * @param refreshBefore oauth2: refresh a cached token this long before it expires (default 60s)
 * @param defaultTtl oauth2: token lifetime when the endpoint gives no {@code expires_in}
 *     (Salesforce does not; default 15m)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuthSpec(
    String type,
    String username,
    String password,
    String token,
    String header,
    String key,
    String tokenUrl,
    String clientId,
    String clientSecret,
    String scope,
    Duration refreshBefore,
    Duration defaultTtl) {
  public static final AuthSpec NONE =
      new AuthSpec("none", null, null, null, null, null, null, null, null, null, null, null);

  public AuthSpec {
    type = type == null ? "none" : type;
    header = header == null ? "X-API-Key" : header;
    refreshBefore = refreshBefore == null ? Duration.ofSeconds(60) : refreshBefore;
    defaultTtl = defaultTtl == null ? Duration.ofMinutes(15) : defaultTtl;
  }
}
