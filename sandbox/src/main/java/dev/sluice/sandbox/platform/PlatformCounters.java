package dev.sluice.sandbox.platform;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counters of what the platform emulation has served. */
final class PlatformCounters {

  enum Event {
    TOKEN_GRANT,
    UNAUTHORIZED,
    BATCH_CREATED,
    UPLOAD,
    COMPLETE,
    ABORT,
    STATUS_POLL
  }

  private final Map<Event, LongAdder> counts = new EnumMap<>(Event.class);

  PlatformCounters() {
    for (Event event : Event.values()) {
      counts.put(event, new LongAdder());
    }
  }

  void increment(Event event) {
    counts.get(event).increment();
  }

  long get(Event event) {
    return counts.get(event).sum();
  }

  void reset() {
    counts.values().forEach(LongAdder::reset);
  }
}
