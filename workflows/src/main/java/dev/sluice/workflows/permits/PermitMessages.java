package dev.sluice.workflows.permits;

import dev.sluice.workflows.activities.WindowMessages.Holder;
import java.util.List;

/**
 * What crosses the history of a {@link PermitsWorkflow}, a {@link BudgetWorkflow} and their
 * holders. A holder is a run chain: its workflow ID and the first run ID of its chain, stable
 * across retries and continue-as-new, so a request sent again is recognised.
 */
public final class PermitMessages {
  private PermitMessages() {}

  /**
   * A request for a running-job permit (the {@code acquire} update).
   *
   * @param key the shared limit's key
   * @param maxRunningJobs the limit as the holder's pipeline states it
   * @param holder who asks
   * @param label what the holder is, for people (its workflow ID)
   */
  public record PermitRequest(String key, int maxRunningJobs, Holder holder, String label) {}

  /**
   * The answer to a {@link PermitRequest}.
   *
   * @param granted whether the holder holds a permit now
   * @param position when not granted, the holder's place in line (1: next)
   * @param limit the key's limit in force (the smallest stated by those holding or waiting)
   * @param running how many permits are held
   */
  public record PermitAnswer(boolean granted, int position, int limit, int running) {}

  /**
   * The signal a waiting holder receives once granted ({@link PermitHolder#permitGranted}).
   *
   * @param key the limit's key
   * @param holder the holder granted (a holder ignores a grant to another chain of its ID)
   */
  public record PermitGrant(String key, Holder holder) {}

  /**
   * One holder or waiter of a key.
   *
   * @param holder the run chain
   * @param maxRunningJobs the limit it stated
   * @param label its workflow ID, for people
   */
  public record PermitEntry(Holder holder, int maxRunningJobs, String label) {}

  /**
   * A key's permits, carried across continue-as-new and answered by the {@code state} query.
   *
   * @param key the key
   * @param holders who holds a permit, in the order granted
   * @param waiters who waits, first come first served
   * @param lastLimit the last limit stated, in force while nobody holds or waits
   * @param maxEvents continue-as-new past this many events (0: the default, 2,000; tests set a
   *     small number to see the state carried)
   */
  public record PermitsState(
      String key,
      List<PermitEntry> holders,
      List<PermitEntry> waiters,
      int lastLimit,
      int maxEvents) {
    /** Continue-as-new past this many events unless the state says: a grant adds a handful. */
    public static final int DEFAULT_MAX_EVENTS = 2_000;

    public PermitsState {
      holders = holders == null ? List.of() : List.copyOf(holders);
      waiters = waiters == null ? List.of() : List.copyOf(waiters);
      maxEvents = maxEvents <= 0 ? DEFAULT_MAX_EVENTS : maxEvents;
    }

    /** A key nobody has asked for yet. */
    public static PermitsState empty(String key) {
      return new PermitsState(key, List.of(), List.of(), 0, 0);
    }
  }

  /**
   * The holders whose chain to check ({@link PermitActivities#closedHolders}).
   *
   * @param holders the run chains
   */
  public record HolderCheck(List<Holder> holders) {}

  /**
   * @param closed the holders whose chain has closed (or whose workflow ID now runs another chain)
   */
  public record ClosedHolders(List<Holder> closed) {}

  /**
   * A run's request to spend one job of a daily budget (the {@code charge} update).
   *
   * @param key the budget's key
   * @param day the UTC day ({@code 2026-12-07})
   * @param holder who asks
   * @param maxJobsPerDay the limit of jobs its pipeline states, 0 for none
   * @param maxBytesPerDay the limit of bytes its pipeline states, 0 for none
   */
  public record BudgetCharge(
      String key, String day, Holder holder, long maxJobsPerDay, long maxBytesPerDay) {}

  /**
   * The answer to a {@link BudgetCharge}.
   *
   * @param admitted whether the run may submit
   * @param day the UTC day counted
   * @param jobs jobs admitted that day (this one included when admitted)
   * @param bytes bytes extracted that day so far
   * @param maxJobsPerDay the limit in force that day (the smallest stated), 0 for none
   * @param maxBytesPerDay the limit in force that day (the smallest stated), 0 for none
   */
  public record BudgetAnswer(
      boolean admitted, String day, long jobs, long bytes, long maxJobsPerDay, long maxBytesPerDay) {}

  /**
   * What an admitted run extracted, counted on the day it was admitted (the {@code used} signal).
   *
   * @param holder the run chain
   * @param bytes bytes extracted
   */
  public record BytesUsed(Holder holder, long bytes) {}

  /**
   * One UTC day of a budget.
   *
   * @param day the day
   * @param jobs jobs admitted
   * @param bytes bytes extracted by the runs admitted that day
   * @param maxJobsPerDay the smallest limit of jobs stated that day, 0 for none
   * @param maxBytesPerDay the smallest limit of bytes stated that day, 0 for none
   * @param admitted the runs admitted that day (a charge sent again is not counted twice)
   */
  public record BudgetDay(
      String day,
      long jobs,
      long bytes,
      long maxJobsPerDay,
      long maxBytesPerDay,
      List<Holder> admitted) {
    public BudgetDay {
      admitted = admitted == null ? List.of() : List.copyOf(admitted);
    }
  }

  /**
   * A budget's days, carried across continue-as-new (the current and the previous day only).
   *
   * @param key the key
   * @param days the days, oldest first
   */
  public record BudgetState(String key, List<BudgetDay> days) {
    public BudgetState {
      days = days == null ? List.of() : List.copyOf(days);
    }
  }
}
