package dev.sluice.activities.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okio.AsyncTimeout;

/**
 * Keeps Okio's timeout watchdog asleep while a body streams in. OkHttp enforces the read timeout of
 * an HTTP/1 connection with an Okio {@link AsyncTimeout} around every socket read (8 KiB at most),
 * and Okio wakes its watchdog thread whenever a timeout becomes the earliest one queued: with one
 * download in flight that is every read, some 20,000 wake-ups (a futex call and two context
 * switches each) for a 180 MB result, on the cores the parser and the writer need.
 *
 * <p>The sentinel is a timeout of its own that does nothing when it fires, kept queued ahead of
 * the reads ({@link #keep()} re-arms it once it has fired): a read's timeout then lands behind it,
 * and the watchdog sleeps until the sentinel's deadline (one wake-up per {@link #PERIOD}). Every
 * read still times out exactly when it did, with the same exception: the watchdog's queue stays
 * ordered by deadline, and the socket's own {@code SO_TIMEOUT} is untouched. A read timeout shorter
 * than the sentinel's remaining time simply queues ahead of it, as without the sentinel.
 */
final class ReadTimeoutSentinel extends AsyncTimeout {
  /** How long one turn of the sentinel lasts: well below any read timeout a provider gets. */
  static final Duration PERIOD = Duration.ofSeconds(1);

  /** The JVM's sentinel: Okio's watchdog queue is one per JVM too. */
  static final ReadTimeoutSentinel INSTANCE = new ReadTimeoutSentinel(PERIOD);

  private final AtomicBoolean armed = new AtomicBoolean();

  ReadTimeoutSentinel(Duration period) {
    timeout(period.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Queues the sentinel again if its last turn ended. Cheap when it is queued (one volatile read),
   * so it may run before every read of a body.
   */
  void keep() {
    if (!armed.get() && armed.compareAndSet(false, true)) {
      exit(); // forgets the turn that fired (nothing the first time)
      enter();
    }
  }

  /** Whether the sentinel is queued (a turn is running). */
  boolean armed() {
    return armed.get();
  }

  @Override
  protected void timedOut() {
    armed.set(false);
  }
}
