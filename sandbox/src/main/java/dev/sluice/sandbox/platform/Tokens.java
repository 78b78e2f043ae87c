package dev.sluice.sandbox.platform;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens issued by the emulated IMS, valid until their lifetime runs out or they are
 * revoked.
 */
final class Tokens {

  /** IMS's lifetime for client-credentials tokens: 24 hours less a second. */
  static final Duration DEFAULT_TTL = Duration.ofSeconds(86_399);

  private final Map<String, Instant> issuedAt = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  private volatile Duration ttl = DEFAULT_TTL;

  Tokens(Clock clock) {
    this.clock = clock;
  }

  String issue() {
    Instant now = clock.instant();
    issuedAt.values().removeIf(at -> !now.isBefore(at.plus(ttl)));
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    // Shaped like IMS tokens (a JWT starting "eyJ"); opaque to clients all the same.
    String token =
        "eyJzYW5kYm94IjoidHJ1ZSJ9."
            + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    issuedAt.put(token, now);
    return token;
  }

  boolean isValid(String token) {
    Instant at = token == null ? null : issuedAt.get(token);
    return at != null && clock.instant().isBefore(at.plus(ttl));
  }

  Duration ttl() {
    return ttl;
  }

  void ttl(Duration ttl) {
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("token ttl must not be negative, got " + ttl);
    }
    this.ttl = ttl;
  }

  void revokeAll() {
    issuedAt.clear();
  }
}
