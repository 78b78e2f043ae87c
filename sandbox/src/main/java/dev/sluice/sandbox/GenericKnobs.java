package dev.sluice.sandbox;

/** Run-time settings of the generic export API, read on every poll and page. */
final class GenericKnobs {

  private final SandboxConfig config;
  private volatile int pollsBeforeReady;
  private volatile String failMessage;
  private volatile boolean malformed;

  GenericKnobs(SandboxConfig config) {
    this.config = config;
    reset();
  }

  void reset() {
    pollsBeforeReady = config.pollsBeforeReady();
    failMessage = null;
    malformed = false;
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
}
