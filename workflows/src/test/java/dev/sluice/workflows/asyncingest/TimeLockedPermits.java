package dev.sluice.workflows.asyncingest;

import dev.sluice.workflows.permits.PermitActivities;
import dev.sluice.workflows.permits.PermitActivitiesImpl;
import dev.sluice.workflows.permits.PermitMessages.BudgetAnswer;
import dev.sluice.workflows.permits.PermitMessages.BudgetCharge;
import dev.sluice.workflows.permits.PermitMessages.ClosedHolders;
import dev.sluice.workflows.permits.PermitMessages.HolderCheck;
import dev.sluice.workflows.permits.PermitMessages.PermitAnswer;
import dev.sluice.workflows.permits.PermitMessages.PermitRequest;
import io.temporal.api.testservice.v1.LockTimeSkippingRequest;
import io.temporal.api.testservice.v1.UnlockTimeSkippingRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.TestServiceStubs;
import io.temporal.serviceclient.TestServiceStubsOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.function.Supplier;

/**
 * {@link PermitActivitiesImpl} that holds the time-skipping test server's clock while it calls:
 * the server does not count an update in flight as work, so without the lock it may skip time
 * (to the next timer anywhere) between an update's request and its answer.
 */
final class TimeLockedPermits implements PermitActivities {
  private final PermitActivities delegate;
  private final TestServiceStubs clock;

  TimeLockedPermits(TestWorkflowEnvironment env) {
    WorkflowClient client = env.getWorkflowClient();
    // A plain client: the environment's own unlocks the clock while it waits for an answer.
    this.delegate =
        new PermitActivitiesImpl(
            WorkflowClient.newInstance(env.getWorkflowServiceStubs(), client.getOptions()));
    this.clock =
        TestServiceStubs.newServiceStubs(
            TestServiceStubsOptions.newBuilder()
                .setChannel(env.getWorkflowServiceStubs().getRawChannel())
                .validateAndBuildWithDefaults());
  }

  private <T> T locked(Supplier<T> call) {
    clock.blockingStub().lockTimeSkipping(LockTimeSkippingRequest.getDefaultInstance());
    try {
      return call.get();
    } finally {
      clock.blockingStub().unlockTimeSkipping(UnlockTimeSkippingRequest.getDefaultInstance());
    }
  }

  @Override
  public PermitAnswer requestPermit(PermitRequest request) {
    return locked(() -> delegate.requestPermit(request));
  }

  @Override
  public BudgetAnswer chargeBudget(BudgetCharge charge) {
    return locked(() -> delegate.chargeBudget(charge));
  }

  @Override
  public ClosedHolders closedHolders(HolderCheck check) {
    return locked(() -> delegate.closedHolders(check));
  }
}
