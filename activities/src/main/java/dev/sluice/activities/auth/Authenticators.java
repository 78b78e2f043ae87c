package dev.sluice.activities.auth;

import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.activities.template.Templates;
import dev.sluice.pipeline.AuthSpec;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import okhttp3.Credentials;

/**
 * Builds the {@link Authenticator} of a source from its {@link AuthSpec}, resolving secret
 * references on the way. This is the one place an
 * {@code AuthSpec} record is given its runtime. One
 * instance per worker, over the worker's {@link OAuthTokens}.
 *
 * @param tokens the worker's bearer tokens (its one token cache)
 * @param secrets resolves {@code ${env:…}} / {@code ${file:…}} in the spec's fields
 */
public record Authenticators(OAuthTokens tokens, SecretResolver secrets) {
  /**
   * The authenticator for {@code spec}: the one place an auth type is given its runtime.
   *
   * @throws ApplicationFailure non-retryable {@link FailureType#INVALID_PIPELINE} for a missing
   *     required field; {@link FailureType#SECRET_NOT_FOUND} when a secret reference does not
   *     resolve
   */
  public Authenticator forSpec(AuthSpec spec) {
    List<String> missing = spec.missing();
    if (!missing.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "auth type " + spec.typeName() + " needs '" + missing.get(0) + "'",
          FailureType.INVALID_PIPELINE.type());
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
      return new BearerAuthenticator(
          tokens,
          new ClientCredentialsGrant(
              "token endpoint",
              resolve(oauth.tokenUrl()),
              resolve(oauth.clientId()),
              resolve(oauth.clientSecret()),
              resolve(oauth.scope()),
              oauth.refreshBefore(),
              oauth.defaultTtl()));
    } else if (spec instanceof AuthSpec.OAuth2RefreshToken oauth) {
      return new BearerAuthenticator(
          tokens,
          new RefreshTokenGrant(
              resolve(oauth.tokenUrl()),
              resolve(oauth.clientId()),
              resolve(oauth.clientSecret()),
              resolve(oauth.refreshToken()),
              oauth.refreshBefore(),
              oauth.defaultTtl()),
          oauth.tokenHeader());
    }
    throw new IllegalStateException("no authenticator for auth type " + spec.typeName());
  }

  private String resolve(String template) {
    return Templates.render(template, Map.of(), secrets);
  }
}
