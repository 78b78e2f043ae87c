package dev.sluice.activities.parquet;

import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.parquet.schema.MessageType;

/**
 * Where a table format keeps a table's deferred rows, and where {@link Deferral} writes one run's
 * split of them ({@link TableFormat#deferral}): a Parquet folder's deferred table beside the sink,
 * replaced at publish ({@link DeferredTable}), or an Iceberg table's deferred set, a folder per run
 * that the run's snapshot names. Every directory is the run's own: a retry of the split wipes and
 * rewrites them.
 *
 * @param current the data files of the deferred set in force, in a stable order; none when there
 *     is none
 * @param source what names that set, recorded in the run's manifest so the publish can tell
 *     whether another run replaced the set meanwhile; null when the format does not tell sets apart
 * @param outputDir where the rows to publish are written: the publish's staging directory, the
 *     names it publishes relative to it ({@code [<partition>/]part-<key>-<seq>.parquet})
 * @param releasedPrefix the directory under {@code outputDir} of the files of released rows
 *     (deferred by an earlier run, complete now), or {@code ""} for {@code outputDir} itself: the
 *     files a re-run of the window must keep
 * @param deferredDir where the run's new deferred set is written
 * @param expiredDir where the run's expired rows are written
 * @param outputSchema the schema of the output files, given the run's data schema (a format may add
 *     field IDs)
 */
public record DeferralPlacement(
    List<SetFile> current,
    String source,
    String outputDir,
    String releasedPrefix,
    String deferredDir,
    String expiredDir,
    UnaryOperator<MessageType> outputSchema) {

  public DeferralPlacement {
    current = List.copyOf(current);
  }

  /**
   * A file of the deferred set in force.
   *
   * @param uri the file
   * @param partition the partition directory its rows belong to ({@code ts_day=2026-11-22}), or
   *     {@code ""} for a table without partition directories
   */
  public record SetFile(String uri, String partition) {}
}
