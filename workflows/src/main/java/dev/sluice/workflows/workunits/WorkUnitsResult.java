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
    String reportUri) {}
