package dev.sluice.sandbox.platform;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The API gateway's checks on every data call: a valid bearer token, the client's API key, the
 * organisation and the sandbox. Failures use the gateway's {@code {"error_code","message"}} shape:
 * 401 for the token, 403 for the rest.
 */
final class Gateway {

  private final Supplier<PlatformCredentials> credentials;
  private final Tokens tokens;
  private final PlatformCounters counters;

  Gateway(Supplier<PlatformCredentials> credentials, Tokens tokens, PlatformCounters counters) {
    this.credentials = credentials;
    this.tokens = tokens;
    this.counters = counters;
  }

  /** The rejection of {@code call}, or empty when it may proceed. */
  Optional<Reply> check(Call call) {
    PlatformCredentials expected = credentials.get();
    String authorization = call.header("Authorization");
    String token =
        authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
            ? authorization.substring(7).trim()
            : null;
    if (!tokens.isValid(token)) {
      return deny(401, "401013", "Oauth token is not valid");
    }
    String apiKey = call.header("x-api-key");
    if (apiKey == null || apiKey.isBlank()) {
      return deny(403, "403000", "Api Key is required");
    }
    if (!apiKey.trim().equals(expected.clientId())) {
      return deny(403, "403003", "Api Key is invalid");
    }
    String org = call.header("x-gw-ims-org-id");
    if (org == null || !org.trim().equals(expected.imsOrg())) {
      return deny(
          403,
          "403025",
          "Profile is not valid: x-gw-ims-org-id is missing or not the token's organisation");
    }
    String sandbox = call.header("x-sandbox-name");
    if (sandbox == null || !sandbox.trim().equals(expected.sandboxName())) {
      return deny(403, "403026", "Sandbox is not valid: x-sandbox-name is missing or unknown");
    }
    return Optional.empty();
  }

  private Optional<Reply> deny(int status, String code, String message) {
    counters.increment(PlatformCounters.Event.UNAUTHORIZED);
    return Optional.of(
        Reply.json(status, Reply.object().put("error_code", code).put("message", message)));
  }
}
