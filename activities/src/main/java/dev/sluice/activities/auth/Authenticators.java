package dev.sluice.activities.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.activities.template.Templates;
import dev.sluice.pipeline.AuthSpec;
import dev.sluice.workflows.activities.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;

/**
 * Builds the {@link Authenticator} of a source from its {@link AuthSpec}, resolving secret
 * references on the way. One instance per worker: it owns the worker's {@link TokenCache}.
 */
public final class Authenticators {
  private final OkHttpClient client;
  private final ObjectMapper mapper;
  private final SecretResolver secrets;
  private final TokenCache tokens;
  private final Clock clock;

  /**
   * @param client the worker's HTTP client, used for token endpoints
   * @param mapper the worker's JSON mapper, used for token responses
   * @param secrets resolves {@code ${env:…}} / {@code ${file:…}} in the spec's fields
   * @param clock decides token expiry
   */
  public Authenticators(
      OkHttpClient client, ObjectMapper mapper, SecretResolver secrets, Clock clock) {
    this.client = client;
    this.mapper = mapper;
    this.secrets = secrets;
    this.tokens = new TokenCache(clock);
    this.clock = clock;
  }

  /**
   * The authenticator for {@code spec}: the one place an auth type is given its runtime.
   *
   * @throws ApplicationFailure non-retryable {@link FailureTypes#INVALID_PIPELINE} for a missing
   *     required field; {@link FailureTypes#SECRET_NOT_FOUND} when a secret reference does not
   *     resolve
   */
  public Authenticator forSpec(AuthSpec spec) {
    List<String> missing = spec.missing();
    if (!missing.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "auth type " + spec.typeName() + " needs '" + missing.get(0) + "'",
          FailureTypes.INVALID_PIPELINE);
    }
    // Java 17 has no pattern switch: one branch per record of the sealed AuthSpec.
    if (spec instanceof AuthSpec.None) {
      return Authenticator.NONE;
    } else if (spec instanceof AuthSpec.Basic basic) {
      return new HeaderAuthenticator(
          "Authorization", Credentials.basic(resolve(basic.username()), resolve(basic.password())));
    } else if (spec instanceof AuthSpec.Bearer bearer) {
      return new HeaderAuthenticator("Authorization", "Bearer " + resolve(bearer.token()));
    } else if (spec instanceof AuthSpec.ApiKey apiKey) {
      return new HeaderAuthenticator(apiKey.header(), resolve(apiKey.key()));
    } else if (spec instanceof AuthSpec.OAuth2ClientCredentials oauth) {
      return new ClientCredentialsAuthenticator(
          new ClientCredentials(
              resolve(oauth.tokenUrl()),
              resolve(oauth.clientId()),
              resolve(oauth.clientSecret()),
              resolve(oauth.scope()),
              oauth.refreshBefore(),
              oauth.defaultTtl()),
          client,
          mapper,
          tokens,
          clock);
    }
    throw new IllegalStateException("no authenticator for auth type " + spec.typeName());
  }

  private String resolve(String template) {
    return Templates.render(template, Map.of(), secrets);
  }
}
