package dev.sluice.activities.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * OAuth2 access tokens shared by every activity of a worker, keyed by token endpoint and client ID.
 * Concurrent callers needing the same token share one fetch: the first fetches while the others
 * wait for its result. Different keys never wait for each other.
 */
public final class TokenCache {
  private final ConcurrentMap<Key, Slot> slots = new ConcurrentHashMap<>();
  private final Clock clock;

  /**
   * @param clock decides when a cached token is due for refresh
   */
  public TokenCache(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The cached token for {@code (tokenUrl, clientId)}, or a new one from {@code fetch} when there
   * is none or it expires within {@code refreshBefore}.
   *
   * @throws RuntimeException whatever {@code fetch} throws; nothing is cached then
   */
  public AccessToken get(
      String tokenUrl, String clientId, Duration refreshBefore, Supplier<AccessToken> fetch) {
    return slots
        .computeIfAbsent(new Key(tokenUrl, clientId), k -> new Slot())
        .get(refreshBefore, fetch);
  }

  /**
   * Forgets the token of {@code (tokenUrl, clientId)} if it is still {@code rejectedValue}; a token
   * another caller already refreshed is kept.
   */
  public void invalidate(String tokenUrl, String clientId, String rejectedValue) {
    Slot slot = slots.get(new Key(tokenUrl, clientId));
    if (slot != null) {
      slot.invalidate(rejectedValue);
    }
  }

  private record Key(String tokenUrl, String clientId) {}

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
