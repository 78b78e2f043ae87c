package dev.sluice.activities.parquet;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Passes records on to a sink and, every {@value #CHECK_EVERY} records, hands a keep-alive check
 * the number of records so far: one increment and a mask per record, yet often enough for any page
 * or file to keep its activity heartbeating while rows flow.
 */
public final class KeepAliveSink implements RecordSink {
  /** Records between two checks; a power of two. */
  public static final int CHECK_EVERY = 1024;

  private final RecordSink target;
  private final LongConsumer check;
  private long records;

  /**
   * @param target receives every call
   * @param check called with the record count every {@value #CHECK_EVERY} records; what it throws
   *     (a cancelled activity's heartbeat) ends the parse
   */
  public KeepAliveSink(RecordSink target, LongConsumer check) {
    this.target = target;
    this.check = check;
  }

  /**
   * A sink that calls {@code beat} with the record count when at least {@code every} passed since
   * it was made or last beat, looking at {@code clock} every {@value #CHECK_EVERY} records.
   */
  public static KeepAliveSink throttled(
      RecordSink target, Clock clock, Duration every, LongConsumer beat) {
    long interval = every.toMillis();
    long[] lastBeat = {clock.millis()};
    return new KeepAliveSink(
        target,
        records -> {
          if (clock.millis() - lastBeat[0] >= interval) {
            beat.accept(records);
            lastBeat[0] = clock.millis();
          }
        });
  }

  @Override
  public void columns(List<String> names) {
    target.columns(names);
  }

  /** The target's answer: values pass through unchanged. */
  @Override
  public boolean takesUtf8Text() {
    return target.takesUtf8Text();
  }

  @Override
  public void record(Object[] values) {
    target.record(values);
    if ((++records & (CHECK_EVERY - 1)) == 0) {
      check.accept(records);
    }
  }
}
