package dev.sluice.sandbox;

import java.util.AbstractList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/** The live Contact table: only its size is state, rows come from {@link ContactData}. */
final class ContactTable {

  private final long seed;
  private final AtomicInteger size;

  ContactTable(long seed, int size) {
    this.seed = seed;
    this.size = new AtomicInteger(size);
  }

  int size() {
    return size.get();
  }

  /** Appends {@code count} rows, newer than every existing one. */
  void append(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("cannot append a negative number of rows: " + count);
    }
    size.addAndGet(count);
  }

  void resize(int newSize) {
    size.set(newSize);
  }

  /**
   * Rows {@code [fromInclusive, toExclusive)} as a lazy view: each row is generated when read, so
   * a 50,000-row page is streamed into its CSV instead of being held in memory first.
   */
  List<Map<String, String>> rows(int fromInclusive, int toExclusive) {
    int size = toExclusive - fromInclusive;
    return new AbstractList<>() {
      @Override
      public Map<String, String> get(int index) {
        return ContactData.row(seed, fromInclusive + Objects.checkIndex(index, size));
      }

      @Override
      public int size() {
        return size;
      }
    };
  }
}
