package dev.sluice.workflows.permits;

import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.permits.PermitMessages.PermitAnswer;
import dev.sluice.workflows.permits.PermitMessages.PermitEntry;
import dev.sluice.workflows.permits.PermitMessages.PermitsState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * The holders and waiters of one key, and the rule that grants permits: first come first served,
 * never more holders than the limit. When pipelines sharing a key state different limits, the
 * smallest stated by anyone holding or waiting is in force (a provider's limit is the one that
 * must not be exceeded; a larger number is a configuration mistake). Holders already granted keep
 * their permits when a smaller limit arrives: no new grant until they are below it. Plain state of
 * the permits workflow, no workflow calls.
 */
final class PermitTable {
  private final String key;
  private final List<PermitEntry> holders;
  private final List<PermitEntry> waiters;
  private int lastLimit;
  private final int maxEvents;

  PermitTable(PermitsState state) {
    this.key = state.key();
    this.holders = new ArrayList<>(state.holders());
    this.waiters = new ArrayList<>(state.waiters());
    this.lastLimit = state.lastLimit();
    this.maxEvents = state.maxEvents();
  }

  /** Continue-as-new past this many events. */
  int maxEvents() {
    return maxEvents;
  }

  /** The limit in force: the smallest stated by a holder or waiter, else the last stated. */
  int limit() {
    return Stream.concat(holders.stream(), waiters.stream())
        .mapToInt(PermitEntry::maxRunningJobs)
        .min()
        .orElse(lastLimit);
  }

  /**
   * Records a request: a holder keeps its permit, a waiter its place; a new one joins the line and
   * is granted at once when nobody waits before it and a permit is free.
   *
   * @return the answer, and in {@code others} whoever else was granted meanwhile (to signal)
   */
  PermitAnswer request(PermitEntry entry, Collection<PermitEntry> others) {
    lastLimit = entry.maxRunningJobs();
    if (indexOf(holders, entry.holder()) < 0 && indexOf(waiters, entry.holder()) < 0) {
      waiters.add(entry);
    }
    boolean granted = false;
    for (PermitEntry g : grant()) {
      if (g.holder().equals(entry.holder())) {
        granted = true;
      } else {
        others.add(g);
      }
    }
    if (granted || indexOf(holders, entry.holder()) >= 0) {
      return new PermitAnswer(true, 0, limit(), holders.size());
    }
    return new PermitAnswer(false, indexOf(waiters, entry.holder()) + 1, limit(), holders.size());
  }

  /** Moves waiters to holders, in order, while permits are free; returns those granted. */
  List<PermitEntry> grant() {
    List<PermitEntry> granted = new ArrayList<>();
    while (!waiters.isEmpty() && holders.size() < limit()) {
      PermitEntry next = waiters.remove(0);
      holders.add(next);
      granted.add(next);
    }
    return granted;
  }

  /** Drops the holder's permit or place; whether it had one. */
  boolean release(Holder holder) {
    int held = indexOf(holders, holder);
    if (held >= 0) {
      holders.remove(held);
      return true;
    }
    int waiting = indexOf(waiters, holder);
    if (waiting >= 0) {
      waiters.remove(waiting);
      return true;
    }
    return false;
  }

  /** The key. */
  String key() {
    return key;
  }

  /** Who holds a permit now. */
  List<Holder> holders() {
    return holders.stream().map(PermitEntry::holder).toList();
  }

  /** The table as the workflow carries it across continue-as-new. */
  PermitsState state() {
    return new PermitsState(key, holders, waiters, lastLimit, maxEvents);
  }

  private static int indexOf(List<PermitEntry> entries, Holder holder) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).holder().equals(holder)) {
        return i;
      }
    }
    return -1;
  }
}
