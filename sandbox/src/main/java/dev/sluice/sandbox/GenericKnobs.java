package dev.sluice.sandbox;

/** Run-time settings of the generic export API, read on every poll and page. */
final class GenericKnobs {

  private final SandboxConfig config;
  private volatile int pollsBeforeReady;
  private volatile String failMessage;
  private volatile boolean malformed;
  private volatile int loopBackAfterPage;
  private volatile boolean ignorePageParameter;
  private volatile boolean truncatedGzip;
  private volatile boolean redirectLoop;

  GenericKnobs(SandboxConfig config) {
    this.config = config;
    reset();
  }

  void reset() {
    pollsBeforeReady = config.pollsBeforeReady();
    failMessage = null;
    malformed = false;
    loopBackAfterPage = 0;
    ignorePageParameter = false;
    truncatedGzip = false;
    redirectLoop = false;
  }

  int pollsBeforeReady() {
    return pollsBeforeReady;
  }

  void pollsBeforeReady(int polls) {
    if (polls < 0) {
      throw new IllegalArgumentException("pollsBeforeReady must be >= 0, got " + polls);
    }
    pollsBeforeReady = polls;
  }

  String failMessage() {
    return failMessage;
  }

  void failMessage(String message) {
    failMessage = message;
  }

  boolean malformed() {
    return malformed;
  }

  void malformed(boolean corrupt) {
    malformed = corrupt;
  }

  /** The page (from 1) whose next link or cursor points back at the page before it; 0: none. */
  int loopBackAfterPage() {
    return loopBackAfterPage;
  }

  void loopBackAfterPage(int page) {
    if (page != 0 && page < 2) {
      throw new IllegalArgumentException("loopBackAfterPage must be 0 (off) or >= 2, got " + page);
    }
    loopBackAfterPage = page;
  }

  boolean ignorePageParameter() {
    return ignorePageParameter;
  }

  void ignorePageParameter(boolean ignore) {
    ignorePageParameter = ignore;
  }

  boolean truncatedGzip() {
    return truncatedGzip;
  }

  void truncatedGzip(boolean truncated) {
    truncatedGzip = truncated;
  }

  boolean redirectLoop() {
    return redirectLoop;
  }

  void redirectLoop(boolean loop) {
    redirectLoop = loop;
  }
}
