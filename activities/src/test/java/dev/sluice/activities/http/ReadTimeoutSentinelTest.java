package dev.sluice.activities.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okio.AsyncTimeout;
import org.junit.jupiter.api.Test;

/**
 * The sentinel keeps a read's timeout from being the earliest one queued (which is what wakes
 * Okio's watchdog thread), without changing when that timeout fires.
 */
class ReadTimeoutSentinelTest {

  /** Okio's queue of timeouts, earliest first (its head is a dummy node). */
  private static List<AsyncTimeout> queued() throws ReflectiveOperationException {
    Method head = AsyncTimeout.class.getMethod("access$getHead$cp");
    Method next = AsyncTimeout.class.getMethod("access$getNext$p", AsyncTimeout.class);
    List<AsyncTimeout> nodes = new ArrayList<>();
    AsyncTimeout.Companion.getLock().lock();
    try {
      AsyncTimeout node = (AsyncTimeout) head.invoke(null);
      while (node != null && (node = (AsyncTimeout) next.invoke(null, node)) != null) {
        nodes.add(node);
      }
    } finally {
      AsyncTimeout.Companion.getLock().unlock();
    }
    return nodes;
  }

  @Test
  void givenSentinelKept_whenAReadTimeoutIsEntered_thenItQueuesBehindTheSentinel()
      throws Exception {
    ReadTimeoutSentinel sentinel = new ReadTimeoutSentinel(Duration.ofSeconds(30));
    AsyncTimeout read = new AsyncTimeout();
    read.timeout(60, TimeUnit.SECONDS);
    sentinel.keep();
    read.enter();
    try {
      List<AsyncTimeout> queue = queued();
      assertThat(queue).contains(sentinel, read);
      assertThat(queue.indexOf(sentinel)).isLessThan(queue.indexOf(read));
    } finally {
      read.exit();
      sentinel.exit();
    }
  }

  @Test
  void givenSentinelQueued_whenAReadBehindItTimesOut_thenItsTimeoutStillFires() throws Exception {
    ReadTimeoutSentinel sentinel = new ReadTimeoutSentinel(Duration.ofMillis(100));
    CountDownLatch fired = new CountDownLatch(1);
    AsyncTimeout read =
        new AsyncTimeout() {
          @Override
          protected void timedOut() {
            fired.countDown();
          }
        };
    read.timeout(300, TimeUnit.MILLISECONDS);
    sentinel.keep();
    read.enter();
    try {
      assertThat(fired.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(read.exit()).isTrue(); // what OkHttp reads as "timeout"
    } finally {
      sentinel.exit();
    }
  }

  @Test
  void givenSentinelFired_whenKept_thenItIsQueuedAgain() throws Exception {
    ReadTimeoutSentinel sentinel = new ReadTimeoutSentinel(Duration.ofMillis(20));
    sentinel.keep();
    assertThat(sentinel.armed()).isTrue();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (sentinel.armed() && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    assertThat(sentinel.armed()).as("its turn ended").isFalse();
    assertThat(queued()).doesNotContain(sentinel);

    sentinel.keep();

    try {
      assertThat(sentinel.armed()).isTrue();
      assertThat(queued()).contains(sentinel);
    } finally {
      sentinel.exit();
    }
  }
}
