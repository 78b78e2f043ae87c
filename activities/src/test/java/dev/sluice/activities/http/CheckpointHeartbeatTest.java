package dev.sluice.activities.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.activities.auth.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointHeartbeatTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
  private final List<ExtractCheckpoint> sent = new ArrayList<>();
  private final ExtractCheckpoint start =
      new ExtractCheckpoint(new PageCursor(null, 0), 0, null, null);
  private final CheckpointHeartbeat heartbeat =
      new CheckpointHeartbeat(sent::add, clock, Duration.ofSeconds(10), start);

  @Test
  void givenIntervalNotYetPassed_whenKeptAlive_thenNothingIsSent() {
    clock.advance(Duration.ofSeconds(9));
    heartbeat.keepAlive();

    assertThat(sent).isEmpty();
  }

  @Test
  void givenIntervalPassed_whenKeptAlive_thenTheLatestCheckpointIsSentAgain() {
    ExtractCheckpoint second = new ExtractCheckpoint(new PageCursor("2", 1), 1, null, null);
    heartbeat.checkpoint(second);
    clock.advance(Duration.ofSeconds(10));

    heartbeat.keepAlive();
    heartbeat.keepAlive();

    assertThat(sent).containsExactly(second, second);
  }

  @Test
  void givenHeartbeatThrewOnce_whenCalledAgain_thenTheSameFailureWithoutHeartbeatingAgain() {
    RuntimeException cancelled = new RuntimeException("cancelled");
    List<ExtractCheckpoint> tries = new ArrayList<>();
    CheckpointHeartbeat failing =
        new CheckpointHeartbeat(
            c -> {
              tries.add(c);
              throw cancelled;
            },
            clock,
            Duration.ZERO,
            start);

    Throwable first = catchThrowable(failing::keepAlive);
    Throwable second = catchThrowable(() -> failing.checkpoint(start));

    assertThat(first).isSameAs(cancelled);
    assertThat(second).isSameAs(cancelled);
    assertThat(tries).hasSize(1);
  }

  @Test
  void givenNoCheckpointYet_whenIntervalPassed_thenTheStartingPointIsSent() {
    clock.advance(Duration.ofSeconds(11));
    heartbeat.keepAlive();

    assertThat(sent).containsExactly(start);
  }
}
