package dev.sluice.workflows.permits;

import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.permits.PermitMessages.BudgetAnswer;
import dev.sluice.workflows.permits.PermitMessages.BudgetCharge;
import dev.sluice.workflows.permits.PermitMessages.BudgetDay;
import dev.sluice.workflows.permits.PermitMessages.BudgetState;
import dev.sluice.workflows.permits.PermitMessages.BytesUsed;
import java.util.ArrayList;
import java.util.List;

/**
 * A budget's days and the rule that admits a job. Plain state of the budget workflow. When
 * pipelines sharing a key state different limits, the smallest stated that day is in force.
 */
final class BudgetBook {
  private final String key;
  private final List<BudgetDay> days;

  BudgetBook(BudgetState state) {
    this.key = state.key();
    this.days = new ArrayList<>(state.days());
  }

  /** Admits the charge when its day has room; see {@link BudgetWorkflow#charge}. */
  BudgetAnswer charge(BudgetCharge charge) {
    int at = indexOf(charge.day());
    BudgetDay day =
        at >= 0
            ? days.get(at)
            : new BudgetDay(charge.day(), 0, 0, 0, 0, List.of());
    long maxJobs = smallest(day.maxJobsPerDay(), charge.maxJobsPerDay());
    long maxBytes = smallest(day.maxBytesPerDay(), charge.maxBytesPerDay());
    boolean again = day.admitted().contains(charge.holder());
    boolean room =
        again
            || ((maxJobs == 0 || day.jobs() < maxJobs)
                && (maxBytes == 0 || day.bytes() < maxBytes));
    List<Holder> admitted = new ArrayList<>(day.admitted());
    if (room && !again) {
      admitted.add(charge.holder());
    }
    BudgetDay updated =
        new BudgetDay(
            day.day(),
            day.jobs() + (room && !again ? 1 : 0),
            day.bytes(),
            maxJobs,
            maxBytes,
            admitted);
    if (at >= 0) {
      days.set(at, updated);
    } else {
      days.add(updated);
      // Only today and yesterday are kept: a run admitted yesterday may still report its bytes.
      while (days.size() > 2) {
        days.remove(0);
      }
    }
    return new BudgetAnswer(room, day.day(), updated.jobs(), updated.bytes(), maxJobs, maxBytes);
  }

  /** Adds a run's bytes to the day it was admitted; see {@link BudgetWorkflow#used}. */
  void used(BytesUsed used) {
    for (int i = days.size() - 1; i >= 0; i--) {
      BudgetDay day = days.get(i);
      if (day.admitted().contains(used.holder())) {
        days.set(
            i,
            new BudgetDay(
                day.day(),
                day.jobs(),
                day.bytes() + used.bytes(),
                day.maxJobsPerDay(),
                day.maxBytesPerDay(),
                day.admitted()));
        return;
      }
    }
  }

  BudgetState state() {
    return new BudgetState(key, days);
  }

  private int indexOf(String day) {
    for (int i = 0; i < days.size(); i++) {
      if (days.get(i).day().equals(day)) {
        return i;
      }
    }
    return -1;
  }

  /** The smaller of two limits, where 0 means none. */
  private static long smallest(long a, long b) {
    if (a == 0) {
      return b;
    }
    return b == 0 ? a : Math.min(a, b);
  }
}
