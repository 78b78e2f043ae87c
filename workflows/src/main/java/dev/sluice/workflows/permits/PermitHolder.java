package dev.sluice.workflows.permits;

import dev.sluice.workflows.permits.PermitMessages.PermitGrant;
import io.temporal.workflow.SignalMethod;

/**
 * A workflow that waits for permits of a {@link PermitsWorkflow}: the permits workflow signals it
 * when its turn comes. Its workflow interface extends this one.
 */
public interface PermitHolder {
  /** The signal's name, as the permits workflow sends it. */
  String GRANTED = "permitGranted";

  /**
   * The holder was granted a permit of {@code grant.key()}; a grant naming another chain of the
   * same workflow ID is ignored by the holder.
   */
  @SignalMethod(name = GRANTED)
  void permitGranted(PermitGrant grant);
}
