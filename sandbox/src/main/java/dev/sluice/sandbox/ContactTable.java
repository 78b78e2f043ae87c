package dev.sluice.sandbox;

import java.util.List;
import java.util.Map;
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

  List<Map<String, String>> rows(int fromInclusive, int toExclusive) {
    return ContactData.rows(seed, fromInclusive, toExclusive);
  }
}
