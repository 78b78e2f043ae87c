package dev.sluice.activities.parquet;

import dev.sluice.pipeline.LakeTable;
import dev.sluice.workflows.activities.Messages.DeferralRequest;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import java.util.Optional;

/**
 * What a table format (a folder of Parquet files, an Iceberg table) does for the sink activities:
 * how staged files are laid out, where the watermark and the windows' ranges are kept, how a run's
 * files are committed and how an aborted run's files are removed. Window leases are the
 * activities' own, the same for every format. Registered once per worker in {@link TableFormats}.
 */
public interface TableFormat {

  /** How a run stages its files for {@code table}. */
  StagingLayout staging(LakeTable table);

  /** The table's published watermark, or empty when it has none. */
  Optional<String> watermark(LakeTable table);

  /** The range the window {@code windowKey} committed, or empty when it never committed. */
  Optional<WindowRange> range(LakeTable table, String windowKey);

  /** The committed window of {@code column} whose range starts earliest. */
  Optional<WindowRange> first(LakeTable table, String column);

  /** Whether the window has files in the table but no recorded range (an older Sluice's). */
  boolean hasFilesOf(LakeTable table, String windowKey);

  /**
   * Commits a run: its files, the watermark and the window's range, as one commit where the
   * format has one. Idempotent: a run committed before is not committed again.
   */
  PublishResult publish(PublishRequest request);

  /** The result of {@code request}'s run, which committed before (its answer was lost). */
  PublishResult published(PublishRequest request);

  /**
   * Where a run's deferral ({@code defer:}) reads the table's deferred set in force and writes its
   * split of the run's rows.
   *
   * @throws InvalidSinkException when the deferral rule does not fit the table
   */
  DeferralPlacement deferral(DeferralRequest request);

  /** After a publish: removes what the run staged and no longer needs. Idempotent. */
  void cleanUp(PublishRequest request);

  /**
   * Removes a failed or cancelled run's staged files, never files a commit made part of the
   * table. Idempotent.
   *
   * @return whether there was anything to remove
   */
  boolean discard(LakeTable table, String stagingUri);
}
