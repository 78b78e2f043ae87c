package dev.sluice.starter.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/** Waiting for what a real server does in its own time (visibility, schedules, runs). */
final class Polling {
  private Polling() {}

  /** {@code poll} once it returns at least {@code count} items; fails after 30 s. */
  static <T> List<T> await(String what, Supplier<List<T>> poll, int count)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    List<T> got = poll.get();
    while (got.size() < count && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      got = poll.get();
    }
    assertThat(got).as(what).hasSizeGreaterThanOrEqualTo(count);
    return got;
  }
}
