package dev.sluice.sandbox;

/**
 * Thrown by an endpoint to answer with an error response from deep inside request handling; the
 * {@link Router} writes {@link #response()} as is.
 */
final class HttpFailure extends RuntimeException {

  private final transient Response response;

  HttpFailure(Response response) {
    super("HTTP " + response.status(), null, false, false);
    this.response = response;
  }

  Response response() {
    return response;
  }
}
