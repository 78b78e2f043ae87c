package dev.sluice.workflows.common;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * Activities a workflow runs side by side, each under a key (a range, a batch), so it can start a
 * new one as one ends (a sliding window, not waves). Workflow state.
 *
 * @param <K> what each activity works on
 * @param <R> its result
 */
public final class InFlight<K, R> {
  /** What to do with an activity that ended. */
  public interface Ended<K, R> {
    /** It succeeded with {@code result}. */
    void succeeded(K key, R result);

    /** It failed for good. */
    void failed(K key, ActivityFailure failure);
  }

  private final List<Promise<R>> promises = new ArrayList<>();
  private final List<K> keys = new ArrayList<>();

  /** Adds a started activity. */
  public void add(K key, Promise<R> promise) {
    keys.add(key);
    promises.add(promise);
  }

  /** How many are running. */
  public int size() {
    return promises.size();
  }

  /** Whether none is running. */
  public boolean isEmpty() {
    return promises.isEmpty();
  }

  /**
   * Waits until at least one ends, then hands every one that ended (latest added first) to {@code
   * ended} and forgets it. A failure is handed over, not thrown (as {@code anyOf(..).get()} would
   * throw it), so the others go on.
   */
  public void awaitAny(Ended<K, R> ended) {
    Promise.anyOf(promises).handle((value, failure) -> null).get();
    for (int i = promises.size() - 1; i >= 0; i--) {
      Promise<R> p = promises.get(i);
      if (!p.isCompleted()) {
        continue;
      }
      K key = keys.remove(i);
      promises.remove(i);
      R result;
      try {
        result = p.get();
      } catch (ActivityFailure e) {
        ended.failed(key, e);
        continue;
      }
      ended.succeeded(key, result);
    }
  }
}
