package dev.sluice.activities.http;

import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link PageWriter} double that "completes a file" every {@code pagesPerFile} pages. Completed
 * rows go to a store shared between attempts, so a test sees exactly what a retry would leave.
 */
final class RecordingWriter implements PageWriter {
  private final int pagesPerFile;
  private final List<List<Object>> store;
  private final List<List<Object>> pending = new ArrayList<>();
  private final List<String> files;
  private int pagesInFile;
  boolean closed;
  int checkpoints;

  RecordingWriter(int pagesPerFile, List<List<Object>> store, WriterState resumeFrom) {
    this.pagesPerFile = pagesPerFile;
    this.store = store;
    this.files = resumeFrom == null ? new ArrayList<>() : new ArrayList<>(resumeFrom.files());
    if (resumeFrom == null) {
      store.clear();
    } else {
      // Rows beyond the checkpoint belonged to files the retry will rewrite.
      store.subList((int) resumeFrom.rows(), store.size()).clear();
    }
  }

  @Override
  public void columns(List<String> names) {}

  @Override
  public void record(Object[] values) {
    pending.add(Arrays.asList(values));
  }

  @Override
  public WriterState endPage() {
    return ++pagesInFile == pagesPerFile ? roll() : null;
  }

  @Override
  public WriterState checkpoint() {
    checkpoints++;
    return pagesInFile == 0 ? state() : roll();
  }

  @Override
  public WriterState finish() {
    return pending.isEmpty() ? state() : roll();
  }

  @Override
  public void close() {
    closed = true;
    pending.clear();
  }

  private WriterState roll() {
    files.add("part-" + files.size() + ".parquet");
    store.addAll(pending);
    pending.clear();
    pagesInFile = 0;
    return state();
  }

  private WriterState state() {
    return new WriterState(List.copyOf(files), store.size(), store.size() * 10L, null, List.of());
  }
}
