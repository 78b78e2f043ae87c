package dev.sluice.activities.auth;

import okhttp3.Request;

/**
 * Static credentials sent in one header: basic ({@code Authorization: Basic …}), bearer ({@code
 * Authorization: Bearer …}) and API-key ({@code X-API-Key: …}) authentication. A 401 is final: the
 * same credentials would be rejected again.
 */
final class HeaderAuthenticator implements Authenticator {
  private final String header;
  private final String value;

  HeaderAuthenticator(String header, String value) {
    this.header = header;
    this.value = value;
  }

  @Override
  public Request authenticate(Request request) {
    return request.newBuilder().header(header, value).build();
  }

  @Override
  public boolean refreshAfterUnauthorized(Request rejected) {
    return false;
  }

  @Override
  public String toString() {
    return "HeaderAuthenticator[" + header + "]";
  }
}
