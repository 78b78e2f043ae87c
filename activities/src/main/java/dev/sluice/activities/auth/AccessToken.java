package dev.sluice.activities.auth;

import java.time.Instant;

/**
 * An OAuth2 access token and when it expires. {@link #toString()} never shows the value.
 *
 * @param value the bearer token
 * @param expiresAt when the provider stops accepting it
 */
public record AccessToken(String value, Instant expiresAt) {

  /** Whether it is still good for {@code margin} past {@code now}. */
  public boolean validAt(Instant now, java.time.Duration margin) {
    return now.plus(margin).isBefore(expiresAt);
  }

  @Override
  public String toString() {
    return "AccessToken[expiresAt=" + expiresAt + "]";
  }
}
