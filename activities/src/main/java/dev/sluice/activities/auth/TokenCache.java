package dev.sluice.activities.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * OAuth2 access tokens shared by every activity of a worker, keyed by the exact credential set that
 * obtained them (see {@link #keyOf}): a pipeline with another secret, scope or grant never gets
 * another pipeline's token. Concurrent callers needing the same token share one fetch: the first
 * fetches while the others wait for its result. Different keys never wait for each other.
 */
public final class TokenCache {
  private final ConcurrentMap<String, Slot> slots = new ConcurrentHashMap<>();
  private final Clock clock;

  /**
   * @param clock decides when a cached token is due for refresh
   */
  public TokenCache(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The cache key of a credential set: a SHA-256 over every resolved value that decides which token
   * the endpoint issues (grant, token URL, client ID and secret, scope, key…), each
   * length-prefixed so that no two different sets collide by concatenation. The raw secrets are
   * never kept.
   *
   * @param credentials the resolved values, in a fixed order per grant; nulls allowed
   */
  public static String keyOf(String... credentials) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    for (String value : credentials) {
      if (value == null) {
        sha256.update((byte) 0);
        continue;
      }
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      sha256.update((byte) 1);
      sha256.update(
          new byte[] {
            (byte) (bytes.length >>> 24),
            (byte) (bytes.length >>> 16),
            (byte) (bytes.length >>> 8),
            (byte) bytes.length
          });
      sha256.update(bytes);
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  /**
   * The cached token for {@code key} (from {@link #keyOf}), or a new one from {@code fetch} when
   * there is none or it expires within {@code refreshBefore}.
   *
   * @throws RuntimeException whatever {@code fetch} throws; nothing is cached then
   */
  public AccessToken get(String key, Duration refreshBefore, Supplier<AccessToken> fetch) {
    return slots.computeIfAbsent(key, k -> new Slot()).get(refreshBefore, fetch);
  }

  /**
   * Forgets the token of {@code key} if it is still {@code rejectedValue}; a token another caller
   * already refreshed is kept.
   */
  public void invalidate(String key, String rejectedValue) {
    Slot slot = slots.get(key);
    if (slot != null) {
      slot.invalidate(rejectedValue);
    }
  }

  /** One key's token; its monitor serialises fetches so concurrent callers share one. */
  private final class Slot {
    private AccessToken token;

    synchronized AccessToken get(Duration refreshBefore, Supplier<AccessToken> fetch) {
      if (token == null || !token.validAt(clock.instant(), refreshBefore)) {
        token = fetch.get();
      }
      return token;
    }

    synchronized void invalidate(String rejectedValue) {
      if (token != null && token.value().equals(rejectedValue)) {
        token = null;
      }
    }
  }
}
