package dev.sluice.sandbox.platform;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The emulated Adobe IMS: {@code POST /ims/token/v3} (server-to-server OAuth, client credentials)
 * and {@code POST /ims/exchange/jwt} (the older service-account JWT exchange). Parameters are read
 * from a form body, then from the query. Errors use IMS's {@code {"error","error_description"}}.
 */
final class ImsEndpoints {

  private final Supplier<PlatformCredentials> credentials;
  private final Tokens tokens;
  private final JwtCheck jwt;
  private final PlatformCounters counters;

  ImsEndpoints(
      Supplier<PlatformCredentials> credentials,
      Tokens tokens,
      JwtCheck jwt,
      PlatformCounters counters) {
    this.credentials = credentials;
    this.tokens = tokens;
    this.jwt = jwt;
    this.counters = counters;
  }

  void register(PlatformRoutes routes) {
    routes
        .open("POST", "/ims/token/v3", "token", this::clientCredentials)
        .open("POST", "/ims/exchange/jwt", "token", this::jwtExchange);
  }

  private Reply clientCredentials(Call call) {
    Map<String, String> form = call.form();
    if (!"client_credentials".equals(form.get("grant_type"))) {
      return error(400, "unsupported_grant_type", "grant_type must be client_credentials");
    }
    Reply rejected = checkClient(form);
    if (rejected != null) {
      return rejected;
    }
    // IMS answers in seconds here: 86399 for a day's token.
    return grant(tokens.ttl().toSeconds());
  }

  private Reply jwtExchange(Call call) {
    Map<String, String> form = call.form();
    Reply rejected = checkClient(form);
    if (rejected != null) {
      return rejected;
    }
    String problem = jwt.problem(form.get("jwt_token"), credentials.get());
    if (problem != null) {
      return error(400, "invalid_token", problem);
    }
    // The JWT exchange, unlike /ims/token/v3, answers expires_in in milliseconds (86399999...).
    return grant(tokens.ttl().toMillis());
  }

  private Reply checkClient(Map<String, String> form) {
    PlatformCredentials expected = credentials.get();
    if (!expected.clientId().equals(form.get("client_id"))) {
      return error(400, "invalid_client", "invalid client_id parameter");
    }
    if (!expected.clientSecret().equals(form.get("client_secret"))) {
      return error(401, "invalid_client", "invalid client_secret parameter");
    }
    return null;
  }

  private Reply grant(long expiresIn) {
    counters.increment(PlatformCounters.Event.TOKEN_GRANT);
    return Reply.json(
        200,
        Reply.object()
            .put("access_token", tokens.issue())
            .put("token_type", "bearer")
            .put("expires_in", expiresIn));
  }

  private static Reply error(int status, String error, String description) {
    return Reply.json(
        status, Reply.object().put("error", error).put("error_description", description));
  }
}
