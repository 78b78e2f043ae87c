package dev.sluice.sandbox;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe event counters keyed by an enum, for the emulators' stats. */
final class Counters<E extends Enum<E>> {

  private final Map<E, LongAdder> counts;

  Counters(Class<E> events) {
    counts = new EnumMap<>(events);
    for (E event : events.getEnumConstants()) {
      counts.put(event, new LongAdder());
    }
  }

  void increment(E event) {
    counts.get(event).increment();
  }

  long get(E event) {
    return counts.get(event).sum();
  }

  void reset() {
    counts.values().forEach(LongAdder::reset);
  }
}
