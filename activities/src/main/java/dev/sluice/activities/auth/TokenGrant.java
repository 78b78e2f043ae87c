package dev.sluice.activities.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import okhttp3.FormBody;

/**
 * One way of obtaining a bearer token from a token endpoint (an OAuth2 client-credentials grant,
 * Adobe IMS's JWT exchange), with the resolved credentials it uses. {@link OAuthTokens} does the
 * fetching, parsing and caching; a grant only says what to send and how long the answer lives.
 */
public interface TokenGrant {

  /** The token endpoint's URL. */
  String tokenUrl();

  /**
   * What failure messages call the endpoint, e.g. {@code "token endpoint https://…"}; never a
   * secret.
   */
  String describe();

  /** The {@link TokenCache} key: {@link TokenCache#keyOf} over every credential sent. */
  String cacheKey();

  /** Refresh a cached token this long before it expires. */
  Duration refreshBefore();

  /**
   * The form posted to the endpoint, built at fetch time (a signed assertion expires).
   *
   * @throws io.temporal.failure.ApplicationFailure non-retryable when the credentials cannot be
   *     turned into a request (an unreadable key)
   */
  FormBody form();

  /**
   * How long a token lives, given the answer's {@code expires_in} ({@link
   * com.fasterxml.jackson.databind.node.MissingNode} when absent).
   */
  Duration lifetime(JsonNode expiresIn);
}
