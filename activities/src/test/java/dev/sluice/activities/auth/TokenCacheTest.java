package dev.sluice.activities.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TokenCacheTest {
  private static final String KEY_C = TokenCache.keyOf("u", "c");
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
  private final TokenCache cache = new TokenCache(clock);
  private final AtomicInteger fetches = new AtomicInteger();

  private AccessToken fetchSlowly() {
    try {
      Thread.sleep(100); // long enough for every caller to be waiting on the same fetch
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return new AccessToken("t" + fetches.incrementAndGet(), clock.instant().plusSeconds(3600));
  }

  @Test
  void givenConcurrentCallers_whenTokenIsMissing_thenTheyShareOneFetch() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<AccessToken>> results = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      results.add(
          pool.submit(
              () -> {
                go.await();
                return cache.get(
                    KEY_C, Duration.ofSeconds(60), this::fetchSlowly);
              }));
    }
    go.countDown();
    for (Future<AccessToken> result : results) {
      assertThat(result.get(5, TimeUnit.SECONDS).value()).isEqualTo("t1");
    }
    pool.shutdown();

    assertThat(fetches).hasValue(1);
  }

  @Test
  void givenTokenAlreadyRefreshedByAnotherCaller_whenOldOneIsInvalidated_thenNewOneIsKept() {
    cache.get(KEY_C, Duration.ZERO, this::fetchSlowly);
    cache.invalidate(KEY_C, "t1");
    cache.get(KEY_C, Duration.ZERO, this::fetchSlowly);

    cache.invalidate(KEY_C, "t1");

    assertThat(cache.get(KEY_C, Duration.ZERO, this::fetchSlowly).value()).isEqualTo("t2");
  }

  @Test
  void givenTwoClients_whenTokensFetched_thenEachHasItsOwn() {
    AccessToken a = cache.get(TokenCache.keyOf("u", "a"), Duration.ZERO, this::fetchSlowly);
    AccessToken b = cache.get(TokenCache.keyOf("u", "b"), Duration.ZERO, this::fetchSlowly);

    assertThat(a.value()).isNotEqualTo(b.value());
  }

  @Test
  void givenAccessToken_whenPrinted_thenItsValueIsHidden() {
    assertThat(new AccessToken("secret-token", Instant.EPOCH).toString())
        .doesNotContain("secret-token");
  }

  @Test
  void givenCredentialSets_whenKeyed_thenOnlyIdenticalSetsShareAKeyAndNoSecretShows() {
    String key = TokenCache.keyOf("client_credentials", "u", "c", "secret-1", null);

    assertThat(TokenCache.keyOf("client_credentials", "u", "c", "secret-1", null)).isEqualTo(key);
    assertThat(TokenCache.keyOf("client_credentials", "u", "c", "secret-2", null)).isNotEqualTo(key);
    assertThat(TokenCache.keyOf("client_credentials", "u", "c", "secret-1", "")).isNotEqualTo(key);
    assertThat(TokenCache.keyOf("ab", "c")).isNotEqualTo(TokenCache.keyOf("a", "bc"));
    assertThat(key).doesNotContain("secret-1").hasSize(64);
  }
}
