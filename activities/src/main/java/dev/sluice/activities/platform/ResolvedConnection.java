package dev.sluice.activities.platform;

import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.activities.template.Templates;
import dev.sluice.pipeline.PlatformConnectionSpec;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * A {@link PlatformConnectionSpec} with its secret references resolved, on the worker, for one
 * activity call. {@link #toString()} never shows the client secret or the private key.
 */
record ResolvedConnection(
    HttpUrl baseUrl,
    String authType,
    String tokenUrl,
    String clientId,
    String clientSecret,
    String scope,
    String technicalAccountId,
    String privateKey,
    String metascopes,
    String imsOrg,
    String sandboxName,
    Duration refreshBefore) {

  /**
   * Resolves every {@code ${env:…}} / {@code ${file:…}} in {@code spec}.
   *
   * @throws ApplicationFailure non-retryable {@link FailureType#INVALID_PIPELINE} when the base
   *     URL, token URL, client ID or secret, or IMS org is missing or the auth type unknown; {@link
   *     FailureType#SECRET_NOT_FOUND} from the resolver
   */
  static ResolvedConnection resolve(PlatformConnectionSpec spec, SecretResolver secrets) {
    if (spec == null) {
      throw invalid("the platform connection is missing");
    }
    String authType = spec.authType();
    if (!PlatformAuthenticator.OAUTH.equals(authType)
        && !PlatformAuthenticator.JWT.equals(authType)) {
      throw invalid(
          "unknown platform authType '"
              + authType
              + "': expected "
              + PlatformAuthenticator.OAUTH
              + " or "
              + PlatformAuthenticator.JWT);
    }
    String base = required("baseUrl", spec.baseUrl(), secrets);
    HttpUrl baseUrl = HttpUrl.parse(base.endsWith("/") ? base : base + "/");
    if (baseUrl == null) {
      throw invalid("platform baseUrl is not an http(s) URL: " + spec.baseUrl());
    }
    String tokenUrl = required("tokenUrl", spec.tokenUrl(), secrets);
    if (HttpUrl.parse(tokenUrl) == null) {
      throw invalid("platform tokenUrl is not an http(s) URL: " + spec.tokenUrl());
    }
    return new ResolvedConnection(
        baseUrl,
        authType,
        tokenUrl,
        required("clientId", spec.clientId(), secrets),
        required("clientSecret", spec.clientSecret(), secrets),
        optional(spec.scope(), secrets),
        optional(spec.technicalAccountId(), secrets),
        optional(spec.privateKey(), secrets),
        optional(spec.metascopes(), secrets),
        required("imsOrg", spec.imsOrg(), secrets),
        optional(spec.sandboxName(), secrets),
        spec.refreshBefore());
  }

  /** {@code baseUrl} plus path segments (each encoded as one segment) . */
  HttpUrl.Builder url(String... segments) {
    HttpUrl.Builder url = baseUrl.newBuilder();
    // The base ends with '/', which HttpUrl keeps as an empty last segment: replace it.
    url.removePathSegment(baseUrl.pathSize() - 1);
    for (String segment : segments) {
      url.addPathSegment(segment);
    }
    return url;
  }

  private static String required(String name, String value, SecretResolver secrets) {
    String resolved = optional(value, secrets);
    if (resolved == null || resolved.isBlank()) {
      throw invalid("the platform connection needs " + name);
    }
    return resolved;
  }

  private static String optional(String value, SecretResolver secrets) {
    return Templates.render(value, Map.of(), secrets);
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_PIPELINE.type());
  }

  @Override
  public String toString() {
    return "ResolvedConnection["
        + baseUrl
        + ", "
        + authType
        + ", clientId="
        + clientId
        + ", imsOrg="
        + imsOrg
        + ", sandbox="
        + sandboxName
        + "]";
  }
}
