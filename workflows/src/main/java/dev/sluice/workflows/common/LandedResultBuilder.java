package dev.sluice.workflows.common;

import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import dev.sluice.workflows.batchegress.BatchEgressResult;
import java.util.List;

/**
 * The part every ingest result shares, written once: what the run landed in its table (through
 * {@link Landing}) and what that replaced. Each result's builder extends this with its own
 * components; a component not set keeps its default: an empty list, zero, or null. The results stay
 * flat records, so their JSON is unchanged.
 *
 * @param <B> the result's own builder, returned by every setter
 */
public abstract class LandedResultBuilder<B extends LandedResultBuilder<B>> {
  protected String tableUri;
  protected List<String> files = List.of();
  protected long rows;
  protected long bytes;
  protected String watermark;
  protected DeferralResult deferral;
  protected BatchEgressResult egress;
  protected WindowRange replaced;

  /** This builder, as its own type. */
  protected abstract B self();

  /** The table directory. */
  public B tableUri(String value) {
    tableUri = value;
    return self();
  }

  /** Published file URIs. */
  public B files(List<String> value) {
    files = value;
    return self();
  }

  /** Rows published. */
  public B rows(long value) {
    rows = value;
    return self();
  }

  /** Bytes published. */
  public B bytes(long value) {
    bytes = value;
    return self();
  }

  /** The table's watermark after the run, or null. */
  public B watermark(String value) {
    watermark = value;
    return self();
  }

  /** What deferral did, or null when the pipeline defers nothing. */
  public B deferral(DeferralResult value) {
    deferral = value;
    return self();
  }

  /** The batch sent to the sink's platform, or null when the sink is a table alone. */
  public B egress(BatchEgressResult value) {
    egress = value;
    return self();
  }

  /** What the window held before this run (a re-run), or null (a new window). */
  public B replaced(WindowRange value) {
    replaced = value;
    return self();
  }
}
