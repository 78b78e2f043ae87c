package dev.sluice.starter.cli;

import dev.sluice.pipeline.PlatformConnectionSpec;
import java.util.function.Function;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * Where a data platform is and how to sign in to it: the same flags on every {@code sluice
 * platform} subcommand, each defaulting to a {@code PLATFORM_*} environment variable. Secrets (the
 * client secret, the JWT private key) are never taken as flag values: only from the environment or
 * as a {@code ${env:NAME}} / {@code ${file:/path}} reference, so they stay out of shell history and
 * process listings.
 */
public final class PlatformOptions {
  static final String OAUTH = "oauth-server-to-server";
  static final String JWT = "jwt";
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):[^}]+}");

  @Option(
      names = "--base-url",
      paramLabel = "URL",
      description =
          "API base, e.g. https://platform.adobe.io/data/foundation (default: $PLATFORM_BASE_URL).")
  String baseUrl;

  @Option(
      names = "--token-url",
      paramLabel = "URL",
      description =
          "IMS token endpoint: .../ims/token/v3, or .../ims/exchange/jwt for --auth jwt"
              + " (default: $PLATFORM_TOKEN_URL).")
  String tokenUrl;

  @Option(
      names = "--client-id",
      paramLabel = "ID",
      description =
          "The integration's client ID, also sent as x-api-key (default: $PLATFORM_CLIENT_ID).")
  String clientId;

  @Option(
      names = "--client-secret",
      paramLabel = "REF",
      description =
          "A reference to the client secret, $${env:NAME} or $${file:/path}; never the secret"
              + " itself (default: $${env:PLATFORM_CLIENT_SECRET}).")
  String clientSecret;

  @Option(
      names = "--ims-org",
      paramLabel = "ORG",
      description = "Organisation, sent as x-gw-ims-org-id (default: $PLATFORM_IMS_ORG).")
  String imsOrg;

  @Option(
      names = "--sandbox-name",
      paramLabel = "NAME",
      description =
          "Platform sandbox, sent as x-sandbox-name (default: $PLATFORM_SANDBOX, else prod).")
  String sandboxName;

  @Option(
      names = "--auth",
      paramLabel = "KIND",
      defaultValue = OAUTH,
      description =
          "oauth-server-to-server (client credentials) or jwt (default: ${DEFAULT-VALUE}).")
  String auth;

  @Option(
      names = "--scope",
      paramLabel = "SCOPES",
      description =
          "oauth-server-to-server: scopes, comma-separated (default: $PLATFORM_SCOPE, else none).")
  String scope;

  @Option(
      names = "--technical-account-id",
      paramLabel = "ID",
      description = "jwt: the technical account ID (default: $PLATFORM_TECHNICAL_ACCOUNT_ID).")
  String technicalAccountId;

  @Option(
      names = "--private-key",
      paramLabel = "REF",
      description =
          "jwt: a reference to the PEM private key, $${file:/path} or $${env:NAME}"
              + " (default: $${env:PLATFORM_PRIVATE_KEY}).")
  String privateKey;

  @Option(
      names = "--metascopes",
      paramLabel = "SCOPES",
      description = "jwt: metascopes, comma-separated (default: $PLATFORM_METASCOPES).")
  String metascopes;

  /** A flag or environment setting that cannot make a connection; its message is for the user. */
  public static final class InvalidSettingException extends RuntimeException {
    InvalidSettingException(String message) {
      super(message);
    }
  }

  /**
   * The connection these flags describe. A setting given by flag is used as is; one left to the
   * environment goes into the spec as an {@code ${env:PLATFORM_…}} reference, resolved (like every
   * secret) only when the client is built.
   *
   * @param environment looks up an environment variable (null when unset; blank counts as unset)
   * @throws InvalidSettingException when a required setting is missing, a secret is passed as a
   *     plain value, or {@code --auth} is unknown
   */
  public PlatformConnectionSpec spec(Function<String, String> environment) {
    if (!OAUTH.equals(auth) && !JWT.equals(auth)) {
      throw new InvalidSettingException(
          "--auth must be " + OAUTH + " or " + JWT + ", not '" + auth + "'");
    }
    boolean jwt = JWT.equals(auth);
    String sandbox = setting(sandboxName, "PLATFORM_SANDBOX", environment, false);
    return new PlatformConnectionSpec(
        setting(baseUrl, "PLATFORM_BASE_URL", environment, true),
        auth,
        setting(tokenUrl, "PLATFORM_TOKEN_URL", environment, true),
        setting(clientId, "PLATFORM_CLIENT_ID", environment, true),
        secret("--client-secret", clientSecret, "PLATFORM_CLIENT_SECRET", environment, true),
        jwt ? null : setting(scope, "PLATFORM_SCOPE", environment, false),
        jwt
            ? setting(technicalAccountId, "PLATFORM_TECHNICAL_ACCOUNT_ID", environment, true)
            : null,
        jwt ? secret("--private-key", privateKey, "PLATFORM_PRIVATE_KEY", environment, true) : null,
        jwt ? setting(metascopes, "PLATFORM_METASCOPES", environment, false) : null,
        setting(imsOrg, "PLATFORM_IMS_ORG", environment, true),
        sandbox, // null: the spec's default, prod
        null);
  }

  private static String setting(
      String flag, String variable, Function<String, String> environment, boolean required) {
    if (flag != null && !flag.isBlank()) {
      return flag;
    }
    String value = environment.apply(variable);
    if (value != null && !value.isBlank()) {
      return "${env:" + variable + "}";
    }
    if (required) {
      throw new InvalidSettingException(
          "missing " + optionFor(variable) + " (or set " + variable + ")");
    }
    return null;
  }

  private static String secret(
      String option,
      String flag,
      String variable,
      Function<String, String> environment,
      boolean required) {
    if (flag != null && !REFERENCE.matcher(flag).matches()) {
      // Not echoed: a plain value here is most likely the secret itself.
      throw new InvalidSettingException(
          option
              + " takes a reference, ${env:NAME} or ${file:/path}, not the secret itself"
              + " (or leave it out and set "
              + variable
              + ")");
    }
    return setting(flag, variable, environment, required);
  }

  private static String optionFor(String variable) {
    switch (variable) {
      case "PLATFORM_SANDBOX":
        return "--sandbox-name";
      default:
        return "--"
            + variable
                .substring("PLATFORM_".length())
                .toLowerCase(java.util.Locale.ROOT)
                .replace('_', '-');
    }
  }
}
