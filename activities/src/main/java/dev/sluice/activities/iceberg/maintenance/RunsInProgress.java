package dev.sluice.activities.iceberg.maintenance;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.parquet.TableState;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.workflows.activities.RunKeys;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

/**
 * The run keys of the runs that hold a lease on an Iceberg sink's table now (or died holding one
 * and were not taken over yet): their staging folders, {@code data/sluice-<run key>/}, hold files
 * no snapshot references <i>yet</i>, which {@link OrphanFiles} must leave alone whatever their age.
 * The leases are read by {@link TableState}, which owns their format; a run's key is {@link
 * RunKeys#of} its workflow ID, as its staging folder is named.
 */
public final class RunsInProgress {
  private RunsInProgress() {}

  /** The run keys of the lease holders of {@code sink}'s table. */
  public static Set<String> runKeys(HadoopFiles files, IcebergSink sink) {
    Set<String> out = new HashSet<>();
    for (TableState.Lease lease : new TableState(files, Clock.systemUTC()).read(sink).leases()) {
      if (lease.workflowId() != null) {
        out.add(RunKeys.of(lease.workflowId()));
      }
    }
    return out;
  }
}
