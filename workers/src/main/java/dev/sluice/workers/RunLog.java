package dev.sluice.workers;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.ActivityCompletionException;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import dev.sluice.workflows.activities.ServerPolls;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker's console says about its runs, one line each: a run started, a run finished (how,
 * after how long), an activity attempt failed (which run, which step, the cause). The SDK's own
 * warnings for the last two carry a stack trace each, dozens of lines per retry; the starter's
 * logging configuration turns those off and this logger's DEBUG level (the CLI's {@code --debug})
 * adds the trace back here.
 *
 * <p>Workflow lines go through {@link Workflow#getLogger}, which stays silent while a run's history
 * is replayed, so each line is printed once however often the run is replayed; this interceptor
 * adds no command to any workflow.
 */
public final class RunLog extends WorkerInterceptorBase {
  private static final Logger activityLog = LoggerFactory.getLogger(RunLog.class);

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public WorkflowOutput execute(WorkflowInput input) {
        Logger log = Workflow.getLogger(RunLog.class);
        WorkflowInfo info = Workflow.getInfo();
        String run = info.getWorkflowId() + " (" + info.getWorkflowType() + ")";
        log.info("run {} started", run);
        try {
          WorkflowOutput output = super.execute(input);
          log.info("run {} completed in {}", run, elapsed(info));
          return output;
        } catch (CanceledFailure e) {
          log.info("run {} cancelled after {}", run, elapsed(info));
          throw e;
        } catch (RuntimeException e) {
          log.warn("run {} failed after {}: {}", run, elapsed(info), cause(e));
          throw e;
        }
      }
    };
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private ActivityExecutionContext context;

      @Override
      public void init(ActivityExecutionContext context) {
        this.context = context;
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        try {
          return super.execute(input);
        } catch (ActivityCompletionException e) {
          // Cancelled, or the run is gone: not a failure of this step.
          throw e;
        } catch (ApplicationFailure e) {
          // A server-side poll that found the job pending: the wait going on, not a failure.
          if (!ServerPolls.PENDING_TYPE.equals(e.getType())) {
            warn(e);
          }
          throw e;
        } catch (RuntimeException e) {
          warn(e);
          throw e;
        }
      }

      private void warn(RuntimeException e) {
        ActivityInfo info = context.getInfo();
        String line =
            "run "
                + info.getWorkflowId()
                + ": "
                + info.getActivityType()
                + " attempt "
                + info.getAttempt()
                + " failed: "
                + cause(e);
        if (activityLog.isDebugEnabled()) {
          activityLog.warn(line, e);
        } else {
          activityLog.warn(line);
        }
      }
    };
  }

  /** The message a user acts on: an application failure's own, else the exception's. */
  static String cause(Throwable e) {
    Throwable t = e;
    // A workflow's failure wraps the activity's or child's, which names what went wrong.
    while (t.getCause() != null && !(t instanceof ApplicationFailure)) {
      t = t.getCause();
    }
    String message =
        t instanceof ApplicationFailure a ? a.getOriginalMessage() : t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
  }

  private static String elapsed(WorkflowInfo info) {
    long millis = Workflow.currentTimeMillis() - info.getRunStartedTimestampMillis();
    return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }
}
