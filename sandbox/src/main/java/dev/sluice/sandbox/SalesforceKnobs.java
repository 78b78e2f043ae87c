package dev.sluice.sandbox;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Run-time settings of the Bulk API emulation that jobs read on every state change and page. */
final class SalesforceKnobs {

  private final SandboxConfig config;
  private volatile int pollsBeforeReady;
  private volatile Duration readyAfter;
  private volatile Duration readyJitter;
  private volatile String failMessage;
  private volatile int defaultMaxRecords;
  private volatile Duration pageDelay;
  private volatile boolean repeatLocator;

  SalesforceKnobs(SandboxConfig config) {
    this.config = config;
    reset();
  }

  /** Back to the configured values: no failures, readiness by polls only. */
  void reset() {
    pollsBeforeReady = config.pollsBeforeReady();
    readyAfter = Duration.ZERO;
    readyJitter = Duration.ZERO;
    failMessage = null;
    defaultMaxRecords = config.defaultMaxRecords();
    pageDelay = Duration.ZERO;
    repeatLocator = false;
  }

  QueryJob.Readiness readiness() {
    return new QueryJob.Readiness(pollsBeforeReady, readyAfter, failMessage);
  }

  void pollsBeforeReady(int polls) {
    if (polls < 0) {
      throw new IllegalArgumentException("pollsBeforeReady must be >= 0, got " + polls);
    }
    pollsBeforeReady = polls;
  }

  void readyAfter(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("readyAfter must not be negative, got " + delay);
    }
    readyAfter = delay;
  }

  void readyJitter(Duration jitter) {
    if (jitter.isNegative()) {
      throw new IllegalArgumentException("readyJitter must not be negative, got " + jitter);
    }
    readyJitter = jitter;
  }

  /** A new job's own addition to {@code readyAfter}: uniform in [0, readyJitter). */
  Duration drawReadyOffset() {
    long jitter = readyJitter.toMillis();
    return jitter == 0
        ? Duration.ZERO
        : Duration.ofMillis(ThreadLocalRandom.current().nextLong(jitter));
  }

  void failMessage(String message) {
    failMessage = message;
  }

  int defaultMaxRecords() {
    return defaultMaxRecords;
  }

  void defaultMaxRecords(int maxRecords) {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("defaultMaxRecords must be >= 1, got " + maxRecords);
    }
    defaultMaxRecords = maxRecords;
  }

  Duration pageDelay() {
    return pageDelay;
  }

  void pageDelay(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("pageDelay must not be negative, got " + delay);
    }
    pageDelay = delay;
  }

  boolean repeatLocator() {
    return repeatLocator;
  }

  void repeatLocator(boolean repeat) {
    repeatLocator = repeat;
  }
}
