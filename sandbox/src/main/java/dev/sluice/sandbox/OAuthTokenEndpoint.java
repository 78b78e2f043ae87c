package dev.sluice.sandbox;

import dev.sluice.sandbox.SalesforceEmulator.Event;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code POST /services/oauth2/token} for the OAuth 2.0 client credentials flow. Like Salesforce,
 * the answer carries no {@code expires_in}: tokens just stop working after the TTL.
 */
final class OAuthTokenEndpoint {

  private final SandboxConfig config;
  private final String instanceUrl;
  private final TokenStore tokens;
  private final Counters<Event> counters;
  private final Clock clock;

  OAuthTokenEndpoint(
      SandboxConfig config,
      String instanceUrl,
      TokenStore tokens,
      Counters<Event> counters,
      Clock clock) {
    this.config = config;
    this.instanceUrl = instanceUrl;
    this.tokens = tokens;
    this.counters = counters;
    this.clock = clock;
  }

  void register(Router router) {
    router.route("POST", "/services/oauth2/token", "token", this::grant);
  }

  private Response grant(Request request) {
    Map<String, String> form = Request.parseForm(request.bodyText());
    if (!"client_credentials".equals(form.get("grant_type"))) {
      return oauthError("unsupported_grant_type", "grant type not supported");
    }
    if (!config.clientId().equals(form.get("client_id"))
        || !config.clientSecret().equals(form.get("client_secret"))) {
      return oauthError("invalid_client", "invalid client credentials");
    }
    String identity =
        instanceUrl + "/id/" + SalesforceIds.of("00D", 1) + "/" + SalesforceIds.of("005", 1);
    String issuedAt = Long.toString(clock.millis());
    counters.increment(Event.TOKEN_GRANT);
    return Response.json(
        200,
        Json.object()
            .put("access_token", tokens.issue())
            .put("instance_url", instanceUrl)
            .put("id", identity)
            .put("token_type", "Bearer")
            .put("issued_at", issuedAt)
            .put("signature", signature(identity + issuedAt)));
  }

  /** Salesforce's signature: Base64 HMAC-SHA256 of {@code id + issued_at}, keyed by the secret. */
  private String signature(String content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(config.clientSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
    }
  }

  private static Response oauthError(String error, String description) {
    return Response.json(
        400, Json.object().put("error", error).put("error_description", description));
  }
}
