package dev.sluice.sandbox;

import java.time.Duration;

/** The delay knobs' sleep on a handler thread: a slow provider, which a test can interrupt. */
final class Pause {

  private Pause() {}

  /** Sleeps {@code delay} (nothing for zero); an interrupt ends it early and is kept. */
  static void sleep(Duration delay) {
    if (delay.isZero()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
