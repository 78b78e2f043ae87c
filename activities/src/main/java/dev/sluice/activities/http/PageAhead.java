package dev.sluice.activities.http;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A page fetched on a thread of its own, with its retries, while the page before it is parsed.
 * Only one request is ever in flight: this thread fetches while the extracting thread parses.
 */
final class PageAhead {
  private static final Logger log = LoggerFactory.getLogger(PageAhead.class);

  private final Request request;
  private final AttemptGuard guard;
  private final ExecutorService thread;
  private final Future<FetchedPage> page;
  private volatile boolean cancelled;

  /**
   * Starts fetching.
   *
   * @param request the page's request
   * @param number the page's number, for the thread's name and messages
   * @param guard the attempt's guard: cancelling stops the request in flight
   * @param fetch fetches the page whole, with its tries in place
   */
  PageAhead(Request request, int number, AttemptGuard guard, Supplier<FetchedPage> fetch) {
    this.request = request;
    this.guard = guard;
    this.thread =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread t = new Thread(runnable, "extract-page-" + number);
              t.setDaemon(true);
              return t;
            });
    this.page =
        thread.submit(
            () -> {
              FetchedPage fetched = fetch.get();
              if (cancelled) {
                fetched.discard();
                throw new CancellationException("page " + number + " no longer wanted");
              }
              return fetched;
            });
    thread.shutdown();
  }

  boolean isFor(Request next) {
    return request.url().equals(next.url());
  }

  /**
   * The page, once fetched.
   *
   * @throws RuntimeException what fetching it threw
   */
  FetchedPage take() {
    try {
      return page.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel();
      throw new IllegalStateException("interrupted while a page was fetched", e);
    }
  }

  /** Stops the fetch and waits for its thread, so no request or spool file outlives it. */
  void cancel() {
    cancelled = true;
    guard.cancelInFlight();
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("the fetch of {} did not stop within 10s", HttpFailures.describe(request));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (page.isDone() && !page.isCancelled()) {
      try {
        page.get().discard();
      } catch (ExecutionException | InterruptedException | CancellationException e) {
        // Its failure is moot: nobody wants the page any more.
      }
    }
  }
}
