package dev.sluice.workflows.workunits;

import dev.sluice.workflows.activities.UnitMessages.UnitReport;
import java.util.List;

/**
 * The summary of a work-units run.
 *
 * @param tableUri the table whose partitions the units fill
 * @param planned units this run took
 * @param succeeded of those, how many succeeded
 * @param failed of those, how many failed (they run first next time)
 * @param rows rows published by this run's units
 * @param listed units in the list
 * @param done listed units done after this run (all runs)
 * @param failedTotal listed units failed after this run
 * @param pending listed units never run yet (left for the next runs)
 * @param units this run's units one by one (at most {@link WorkUnitsWorkflow#MAX_REPORTED}), in
 *     plan order
 * @param truncated whether {@code units} was cut short; {@code reportUri} lists them all
 * @param reportUri a JSON file beside the table listing every unit of this run
 */
public record WorkUnitsResult(
    String tableUri,
    int planned,
    int succeeded,
    int failed,
    long rows,
    int listed,
    int done,
    int failedTotal,
    int pending,
    List<UnitReport> units,
    boolean truncated,
    String reportUri) {
  /**
   * A builder of {@code WorkUnitsResult}, for code that sets some components by name. A
   * component not set keeps its default: an empty list, zero, false, or null.
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Builds a {@link WorkUnitsResult}; see {@link #newBuilder} for the defaults. */
  public static final class Builder {
    private String tableUri;
    private int planned;
    private int succeeded;
    private int failed;
    private long rows;
    private int listed;
    private int done;
    private int failedTotal;
    private int pending;
    private List<UnitReport> units = List.of();
    private boolean truncated;
    private String reportUri;

    private Builder() {}

    /** See {@link WorkUnitsResult#tableUri()}. */
    public Builder tableUri(String tableUri) {
      this.tableUri = tableUri;
      return this;
    }

    /** See {@link WorkUnitsResult#planned()}. */
    public Builder planned(int planned) {
      this.planned = planned;
      return this;
    }

    /** See {@link WorkUnitsResult#succeeded()}. */
    public Builder succeeded(int succeeded) {
      this.succeeded = succeeded;
      return this;
    }

    /** See {@link WorkUnitsResult#failed()}. */
    public Builder failed(int failed) {
      this.failed = failed;
      return this;
    }

    /** See {@link WorkUnitsResult#rows()}. */
    public Builder rows(long rows) {
      this.rows = rows;
      return this;
    }

    /** See {@link WorkUnitsResult#listed()}. */
    public Builder listed(int listed) {
      this.listed = listed;
      return this;
    }

    /** See {@link WorkUnitsResult#done()}. */
    public Builder done(int done) {
      this.done = done;
      return this;
    }

    /** See {@link WorkUnitsResult#failedTotal()}. */
    public Builder failedTotal(int failedTotal) {
      this.failedTotal = failedTotal;
      return this;
    }

    /** See {@link WorkUnitsResult#pending()}. */
    public Builder pending(int pending) {
      this.pending = pending;
      return this;
    }

    /** See {@link WorkUnitsResult#units()}. */
    public Builder units(List<UnitReport> units) {
      this.units = units;
      return this;
    }

    /** See {@link WorkUnitsResult#truncated()}. */
    public Builder truncated(boolean truncated) {
      this.truncated = truncated;
      return this;
    }

    /** See {@link WorkUnitsResult#reportUri()}. */
    public Builder reportUri(String reportUri) {
      this.reportUri = reportUri;
      return this;
    }

    public WorkUnitsResult build() {
      return new WorkUnitsResult(
          tableUri,
          planned,
          succeeded,
          failed,
          rows,
          listed,
          done,
          failedTotal,
          pending,
          units,
          truncated,
          reportUri);
    }
  }
}
