package dev.sluice.workflows.batchwindow;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Calls to a route's webhooks. */
@ActivityInterface
public interface WebhookActivities {

  /**
   * POSTs the window's summary as JSON ({@code Content-Type: application/json}) to the URL, after
   * resolving its secret references on the worker.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code HttpClientError} (non-retryable) for a
   *     4xx answer other than 408/429; {@code HttpTransient} (retried) for 5xx, 408, 429 or an I/O
   *     error; {@code SecretNotFound} for a reference that does not resolve
   */
  @ActivityMethod
  WindowMessages.WebhookResult postWindowSummary(WindowMessages.WebhookRequest request);
}
