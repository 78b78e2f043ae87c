package dev.sluice.starter.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/** What {@code dev}, {@code server} and {@code demo --keep-running} do once started. */
final class Foreground {
  private Foreground() {}

  /**
   * Blocks until the JVM is asked to exit (Ctrl-C, SIGTERM), then closes {@code running} before the
   * JVM goes: the close runs in the shutdown hook itself, so a child process (the Temporal dev
   * server) is stopped rather than left behind.
   */
  static void untilStopped(AutoCloseable running) throws InterruptedException {
    CountDownLatch closed = new CountDownLatch(1);
    AtomicBoolean once = new AtomicBoolean();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (once.compareAndSet(false, true)) {
                    try {
                      running.close();
                    } catch (Exception e) {
                      System.err.println("stopping: " + e.getMessage());
                    } finally {
                      closed.countDown();
                    }
                  }
                },
                "sluice-stop"));
    closed.await();
  }
}
