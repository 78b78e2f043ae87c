package dev.sluice.workflows.activities;

import dev.sluice.pipeline.AuthSpec;
import dev.sluice.pipeline.LakeTable;
import dev.sluice.pipeline.UnitsSpec;
import java.util.List;
import java.util.Map;

/**
 * Records in and out of {@link UnitStoreActivities}. They carry URIs, unit values (short keys such
 * as survey IDs), counts and secret references: never rows, never secret values, and never a whole
 * list of units (a list is stored beside the table and read back a page at a time).
 */
public final class UnitMessages {
  private UnitMessages() {}

  /** A unit's state in the store, lower case in its state file. */
  public enum UnitStatus {
    /** Listed, never run (or never recorded). */
    PENDING,
    /** Its last run succeeded: it is not redone unless {@code units.rerunDone}. */
    DONE,
    /** Its last run failed: it runs again, first, in the next run. */
    FAILED
  }

  /**
   * Lists the units and plans this run.
   *
   * @param units where the list comes from and how many a run takes
   * @param auth the source's authentication, for an HTTP list (secret references only)
   * @param vars template variables for the listing request ({@code pipeline}, {@code logicalDate},
   *     {@code windowStart}, {@code windowEnd})
   * @param table the pipeline's table (the parent of every unit's partition)
   * @param planUri where this run's plan is written (stable across retries of this run)
   * @param windowKey the key of the window this run covers ({@link RunKeys#of} of {@code
   *     ingest/<pipeline>/<logical date>}): a done unit whose partition committed this window is
   *     planned again, since a run of a window re-reads what that window owns; null (inputs recorded
   *     before it existed): done units are planned only with {@code rerunDone}
   */
  public record PlanRequest(
      UnitsSpec units,
      AuthSpec auth,
      Map<String, String> vars,
      LakeTable table,
      String planUri,
      String windowKey) {}

  /**
   * The plan of a run: counts only; the values are in the plan file.
   *
   * @param planUri the plan file: the units listed, and those this run takes in order
   * @param listed distinct units in the list
   * @param done listed units whose last run succeeded
   * @param failed listed units whose last run failed
   * @param pending listed units never run
   * @param planned units this run takes: failed first, then pending, then done ones whose partition
   *     committed this window (a re-run of the window), then (with {@code rerunDone}) the other
   *     done ones, least recently run first; at most {@code maxUnitsPerRun}
   */
  public record UnitPlan(
      String planUri, int listed, int done, int failed, int pending, int planned) {}

  /**
   * @param planUri a plan written by {@link UnitStoreActivities#plan}
   * @param offset index of the first planned unit to return
   * @param limit how many at most
   */
  public record PlanPageRequest(String planUri, int offset, int limit) {}

  /**
   * @param units planned unit values from {@code offset} on, in plan order
   */
  public record PlanPage(List<String> units) {}

  /**
   * What one unit's run did, to be kept in its state file.
   *
   * @param table the pipeline's table
   * @param unit the unit's value
   * @param status {@code DONE} or {@code FAILED}
   * @param rows rows the run published (0 when it failed)
   * @param watermark the unit's own watermark after the run; null when not incremental, failed, or
   *     a re-run of a committed window (which leaves it where it was): the store then keeps the
   *     unit's earlier one
   * @param error why it failed, or null
   * @param workflowId the run of the unit ({@code ingest/<pipeline>/<date>/unit=<value>})
   * @param at when it ended (ISO-8601 instant, workflow time)
   */
  public record UnitOutcome(
      LakeTable table,
      String unit,
      UnitStatus status,
      long rows,
      String watermark,
      String error,
      String workflowId,
      String at) {}

  /**
   * @param stateUri the unit's state file
   * @param attempts runs of the unit recorded so far, this one included
   */
  public record UnitRecorded(String stateUri, int attempts) {}

  /**
   * @param table the pipeline's table
   * @param planUri this run's plan
   * @param partition the partition column ({@code units.partition}), to name each unit's directory
   * @param maxUnits how many of this run's units the result lists one by one; the report file lists
   *     them all
   */
  public record SummaryRequest(LakeTable table, String planUri, String partition, int maxUnits) {}

  /**
   * One unit as the summary shows it.
   *
   * @param unit its value
   * @param status its state after this run
   * @param rows rows its last run published
   * @param watermark its own watermark, or null
   * @param error why its last run failed, or null
   * @param partitionUri where its rows land
   */
  public record UnitReport(
      String unit,
      UnitStatus status,
      long rows,
      String watermark,
      String error,
      String partitionUri) {}

  /**
   * The store after a run.
   *
   * @param listed units in this run's list
   * @param done of those, done
   * @param failed of those, failed
   * @param pending of those, never run
   * @param units this run's units (at most {@code maxUnits}), in plan order
   * @param truncated whether {@code units} was cut at {@code maxUnits}
   * @param reportUri a JSON file listing every unit of this run
   */
  public record UnitsSummary(
      int listed,
      int done,
      int failed,
      int pending,
      List<UnitReport> units,
      boolean truncated,
      String reportUri) {}
}
