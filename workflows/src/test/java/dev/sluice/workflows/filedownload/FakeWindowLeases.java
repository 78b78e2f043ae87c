package dev.sluice.workflows.filedownload;

import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages;
import dev.sluice.workflows.activities.ParquetSinkActivities;
import dev.sluice.workflows.activities.WindowMessages.FirstWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.FirstWindowResult;
import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowResult;
import dev.sluice.workflows.activities.WindowMessages.ReleaseWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.ReleaseWindowResult;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Window leases in memory, with the real ledger's rule for a window (held by another workflow:
 * refused with {@code WindowBusy}; already ours: held). A landing has no watermark, so no head.
 */
final class FakeWindowLeases implements ParquetSinkActivities {
  /** Window key to holder. */
  final Map<String, Holder> leases = new ConcurrentHashMap<>();

  final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  public OpenWindowResult openWindow(OpenWindowRequest request) {
    events.add("claim " + request.windowKey());
    Holder held = leases.putIfAbsent(request.windowKey(), request.holder());
    if (held != null && !held.equals(request.holder())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "window " + request.window() + " is already being run by workflow " + held.workflowId(),
          FailureType.WINDOW_BUSY.type());
    }
    return new OpenWindowResult(null, null, false, null);
  }

  @Override
  public ReleaseWindowResult releaseWindow(ReleaseWindowRequest request) {
    events.add("release " + request.windowKey());
    return new ReleaseWindowResult(leases.remove(request.windowKey(), request.holder()) ? 1 : 0);
  }

  @Override
  public FirstWindowResult firstWindow(FirstWindowRequest request) {
    throw new UnsupportedOperationException("a landing owns no ranges");
  }

  @Override
  public Messages.WatermarkResult readWatermark(Messages.WatermarkRequest request) {
    throw new UnsupportedOperationException("a landing has no watermark");
  }

  @Override
  public Messages.PublishResult publish(Messages.PublishRequest request) {
    throw new UnsupportedOperationException("a file download publishes no table");
  }

  @Override
  public Messages.DeferralResult applyDeferral(Messages.DeferralRequest request) {
    throw new UnsupportedOperationException("a file download defers nothing");
  }

  @Override
  public Messages.DiscardResult discardStaging(Messages.DiscardRequest request) {
    throw new UnsupportedOperationException("a file download discards its part files itself");
  }
}
