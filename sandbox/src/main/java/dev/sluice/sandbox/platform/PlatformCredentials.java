package dev.sluice.sandbox.platform;

import java.util.Objects;

/**
 * What the emulated IMS and API gateway accept: the client (its ID is also the {@code x-api-key}),
 * the organisation ({@code x-gw-ims-org-id}) and the sandbox ({@code x-sandbox-name}).
 */
public record PlatformCredentials(
    String clientId, String clientSecret, String imsOrg, String sandboxName) {

  public PlatformCredentials {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(imsOrg, "imsOrg");
    Objects.requireNonNull(sandboxName, "sandboxName");
  }

  /**
   * {@code sluice-platform-client} / {@code sluice-platform-secret}, org {@code
   * SLUICESANDBOX@AdobeOrg}, sandbox {@code prod}.
   */
  public static PlatformCredentials defaults() {
    return new PlatformCredentials(
        "sluice-platform-client", "sluice-platform-secret", "SLUICESANDBOX@AdobeOrg", "prod");
  }
}
