package dev.sluice.sandbox;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Issued access tokens. A token is valid until its TTL runs out or tokens are revoked. */
final class TokenStore {

  private final Map<String, Instant> issuedAt = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  private volatile Duration ttl;

  TokenStore(Clock clock, Duration ttl) {
    this.clock = clock;
    this.ttl = ttl;
  }

  /** Issues a new token, shaped like a Salesforce session ID ({@code <org id>!<secret>}). */
  String issue() {
    return issue(SalesforceIds.of("00D", 1) + "!");
  }

  /** Issues a new token: {@code prefix} and a random secret (LWA tokens start {@code Atza|}). */
  String issue(String prefix) {
    Instant now = clock.instant();
    issuedAt.values().removeIf(at -> expired(at, now));
    byte[] secret = new byte[48];
    random.nextBytes(secret);
    String token = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    issuedAt.put(token, now);
    return token;
  }

  /** Lifetime of tokens issued now. */
  Duration ttl() {
    return ttl;
  }

  /** Whether {@code token} was issued, is not revoked and has not outlived the current TTL. */
  boolean isValid(String token) {
    Instant at = token == null ? null : issuedAt.get(token);
    return at != null && !expired(at, clock.instant());
  }

  /** Whether {@code token} was issued and not revoked (valid or only past its lifetime). */
  boolean wasIssued(String token) {
    return token != null && issuedAt.containsKey(token);
  }

  /** Invalidates every token issued so far. */
  void revokeAll() {
    issuedAt.clear();
  }

  /** Sets the lifetime of tokens, including those already issued. */
  void ttl(Duration ttl) {
    this.ttl = ttl;
  }

  private boolean expired(Instant issued, Instant now) {
    return !now.isBefore(issued.plus(ttl));
  }
}
