package dev.sluice.sandbox.iceberg;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.rest.RESTUtil;

/**
 * The catalog's bearer tokens: the fixed {@link IcebergRestCatalog#TOKEN}, and those {@code POST
 * /v1/oauth/tokens} issues, as the Iceberg REST OpenAPI spec's OAuth2 endpoint does (RFC 6749
 * client credentials, RFC 8693 token exchange to refresh). Every other endpoint requires one.
 */
final class CatalogTokens {
  static final String TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
  private static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
  // An hour, as real servers commonly grant; clients refresh before it ends (by token exchange).
  private static final int EXPIRES_IN_SECONDS = 3600;

  private final Set<String> valid = ConcurrentHashMap.newKeySet();
  private final AtomicInteger grants = new AtomicInteger();
  private final SecureRandom random = new SecureRandom();

  CatalogTokens() {
    valid.add(IcebergRestCatalog.TOKEN);
  }

  /** Whether {@code authorization} (the header's value, or null) carries a valid bearer token. */
  boolean authorized(String authorization) {
    return authorization != null
        && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        && valid.contains(authorization.substring(7).trim());
  }

  /** Tokens granted so far by the OAuth2 endpoint. */
  int grants() {
    return grants.get();
  }

  /**
   * {@code POST /v1/oauth/tokens}: a form body; the client's ID and secret in it or as HTTP Basic
   * credentials. Errors are OAuth2's ({@code {"error", "error_description"}}): 401 {@code
   * invalid_client}, 400 {@code unsupported_grant_type} or {@code invalid_grant}.
   */
  RestReply grant(byte[] body, String authorization) {
    Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
    String grantType = form.getOrDefault("grant_type", "");
    if (grantType.equals("client_credentials")) {
      String[] basic = basic(authorization);
      String id = form.getOrDefault("client_id", basic[0]);
      String secret = form.getOrDefault("client_secret", basic[1]);
      if (!IcebergRestCatalog.CLIENT_ID.equals(id)
          || !IcebergRestCatalog.CLIENT_SECRET.equals(secret)) {
        return oauthError(401, "invalid_client", "unknown client or wrong secret");
      }
    } else if (grantType.equals(EXCHANGE)) {
      if (!valid.contains(form.getOrDefault("subject_token", ""))) {
        return oauthError(400, "invalid_grant", "the subject token is not one this catalog issued");
      }
    } else {
      return oauthError(
          400, "unsupported_grant_type", "grant_type must be client_credentials or token exchange");
    }
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String token = "sandbox-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    valid.add(token);
    grants.incrementAndGet();
    ObjectNode answer = RestReply.MAPPER.createObjectNode();
    answer.put("access_token", token);
    answer.put("token_type", "bearer");
    answer.put("expires_in", EXPIRES_IN_SECONDS);
    answer.put("issued_token_type", TOKEN_TYPE);
    return new RestReply(200, answer.toString());
  }

  private static RestReply oauthError(int status, String error, String description) {
    ObjectNode body = RestReply.MAPPER.createObjectNode();
    body.put("error", error);
    body.put("error_description", description);
    return new RestReply(status, body.toString());
  }

  /** ID and secret of HTTP Basic credentials, or two nulls. */
  private static String[] basic(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return new String[2];
    }
    String decoded =
        new String(
            Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    int colon = decoded.indexOf(':');
    return colon < 0
        ? new String[] {decoded, null}
        : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }

  /**
   * An {@code application/x-www-form-urlencoded} body or query, as Iceberg's client encodes it.
   *
   * @throws IllegalArgumentException (a 400) for a pair without {@code =} or a repeated name
   */
  static Map<String, String> form(String raw) {
    return raw == null || raw.isEmpty() ? Map.of() : RESTUtil.decodeFormData(raw);
  }

  static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
