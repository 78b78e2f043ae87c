package dev.sluice.activities.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.activities.auth.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointHeartbeatTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
  private final List<ExtractCheckpoint> sent = new ArrayList<>();
  private final ExtractCheckpoint start = new ExtractCheckpoint(new PageCursor(null, 0), 0, null);
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
    ExtractCheckpoint second = new ExtractCheckpoint(new PageCursor("2", 1), 1, null);
    heartbeat.checkpoint(second);
    clock.advance(Duration.ofSeconds(10));

    heartbeat.keepAlive();
    heartbeat.keepAlive();

    assertThat(sent).containsExactly(second, second);
  }

  @Test
  void givenNoCheckpointYet_whenIntervalPassed_thenTheStartingPointIsSent() {
    clock.advance(Duration.ofSeconds(11));
    heartbeat.keepAlive();

    assertThat(sent).containsExactly(start);
  }
}
