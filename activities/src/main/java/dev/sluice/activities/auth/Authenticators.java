package dev.sluice.activities.auth;

import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.activities.template.Templates;
import dev.sluice.pipeline.AuthSpec;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import okhttp3.Credentials;

/**
 * Builds the {@link Authenticator} of a source from its {@link AuthSpec}, resolving secret
 * references on the way. This is the one place that reads an {@code AuthSpec}'s fields. One
 * instance per worker, over the worker's {@link OAuthTokens}.
 */
public final class Authenticators {
  private final OAuthTokens tokens;
  private final SecretResolver secrets;

  /**
   * @param tokens the worker's bearer tokens (its one token cache)
   * @param secrets resolves {@code ${env:…}} / {@code ${file:…}} in the spec's fields
   */
  public Authenticators(OAuthTokens tokens, SecretResolver secrets) {
    this.tokens = tokens;
    this.secrets = secrets;
  }

  /**
   * The authenticator for {@code spec}: {@code none}, {@code basic}, {@code bearer}, {@code
   * api-key} or {@code oauth2-client-credentials}.
   *
   * @throws ApplicationFailure non-retryable {@link FailureType#INVALID_PIPELINE} for another type
   *     or a missing required field; {@link FailureType#SECRET_NOT_FOUND} when a secret reference
   *     does not resolve
   */
  public Authenticator forSpec(AuthSpec spec) {
    return switch (spec.type()) {
      case "none" -> Authenticator.NONE;
      case "basic" ->
          new HeaderAuthenticator(
              "Authorization",
              Credentials.basic(
                  required(spec.username(), "username", spec),
                  required(spec.password(), "password", spec)));
      case "bearer" ->
          new HeaderAuthenticator(
              "Authorization", "Bearer " + required(spec.token(), "token", spec));
      case "api-key" -> new HeaderAuthenticator(spec.header(), required(spec.key(), "key", spec));
      case "oauth2-client-credentials" ->
          new BearerAuthenticator(
              tokens,
              new ClientCredentialsGrant(
                  "token endpoint",
                  required(spec.tokenUrl(), "tokenUrl", spec),
                  required(spec.clientId(), "clientId", spec),
                  required(spec.clientSecret(), "clientSecret", spec),
                  resolve(spec.scope()),
                  spec.refreshBefore(),
                  spec.defaultTtl()));
      default ->
          throw ApplicationFailure.newNonRetryableFailure(
              "unknown auth type '"
                  + spec.type()
                  + "'; expected none, basic, bearer, api-key or oauth2-client-credentials",
              FailureType.INVALID_PIPELINE.type());
    };
  }

  private String required(String template, String field, AuthSpec spec) {
    if (template == null || template.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "auth type " + spec.type() + " needs '" + field + "'", FailureType.INVALID_PIPELINE.type());
    }
    return resolve(template);
  }

  private String resolve(String template) {
    return Templates.render(template, Map.of(), secrets);
  }
}
