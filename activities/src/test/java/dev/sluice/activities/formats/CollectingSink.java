package dev.sluice.activities.formats;

import dev.sluice.activities.parquet.RecordSink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A {@link RecordSink} that keeps what it is given, for assertions. */
public final class CollectingSink implements RecordSink {
  /** Every column list announced, in order. */
  public final List<List<String>> announcements = new ArrayList<>();

  /** Every record, as a list. */
  public final List<List<Object>> records = new ArrayList<>();

  @Override
  public void columns(List<String> names) {
    announcements.add(names);
  }

  @Override
  public void record(Object[] values) {
    records.add(Arrays.asList(values));
  }

  /** The latest column list. */
  public List<String> columns() {
    return announcements.get(announcements.size() - 1);
  }
}
