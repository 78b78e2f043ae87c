package dev.sluice.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/** One export of the generic API: queued, then running while polled, then ready or failed. */
final class Export {

  /** Export states, lower case on the wire. */
  enum Status {
    QUEUED,
    RUNNING,
    READY,
    FAILED
  }

  private final String id;
  private final ExportSpec spec;
  private Status status = Status.QUEUED;
  private int polls;
  private String errorMessage;

  /** A failure scripted for this export alone ({@link Surveys#failNext}), or null. */
  private String forcedFailure;

  Export(String id, ExportSpec spec) {
    this.id = id;
    this.spec = spec;
  }

  String id() {
    return id;
  }

  ExportSpec spec() {
    return spec;
  }

  /** The status path a client polls; its request ID is the trailing number. */
  String uri() {
    return "/generic/syncs/" + id;
  }

  synchronized Status status() {
    return status;
  }

  /**
   * Records a status poll: on the {@code pollsBeforeReady}-th the export is ready, or failed with
   * {@code failMessage} when that is set; before that it is running.
   */
  synchronized void poll(int pollsBeforeReady, String failMessage) {
    if (status == Status.READY || status == Status.FAILED) {
      return;
    }
    failMessage = forcedFailure != null ? forcedFailure : failMessage;
    polls++;
    if (polls >= pollsBeforeReady) {
      errorMessage = failMessage;
      status = failMessage == null ? Status.READY : Status.FAILED;
    } else {
      status = Status.RUNNING;
    }
  }

  /** Makes this export end {@code failed} with {@code message}, whatever the API-wide knob says. */
  synchronized void failWith(String message) {
    forcedFailure = message;
  }

  synchronized ObjectNode statusJson() {
    ObjectNode json = Json.object().put("id", id).put("status", wireName(status));
    if (status == Status.FAILED) {
      json.putObject("error").put("message", errorMessage);
    }
    return json;
  }

  static String wireName(Status status) {
    return status.name().toLowerCase(Locale.ROOT);
  }
}
