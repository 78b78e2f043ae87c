package dev.sluice.starter.e2e;

import dev.sluice.pipeline.PlatformConnectionSpec;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.sandbox.platform.PlatformCredentials;
import java.util.Map;

/**
 * The platform connection a pipeline file would hold (secret references only) and the worker
 * environment that resolves it to the sandbox's emulation, as a run against a real organisation
 * resolves it to that organisation.
 */
final class PlatformReferences {
  private PlatformReferences() {}

  /** {@code ${env:PLATFORM_…}} references for every connection value. */
  static PlatformConnectionSpec connection() {
    return new PlatformConnectionSpec(
        "${env:PLATFORM_BASE_URL}",
        null,
        "${env:PLATFORM_TOKEN_URL}",
        "${env:PLATFORM_CLIENT_ID}",
        "${env:PLATFORM_CLIENT_SECRET}",
        "openid,AdobeID,read_organizations",
        null,
        null,
        null,
        "${env:PLATFORM_IMS_ORG}",
        null,
        null);
  }

  /** What the worker sees: the variables {@link #connection()} names, pointing at the sandbox. */
  static Map<String, String> workerEnvironment(SandboxServer sandbox) {
    PlatformCredentials creds = sandbox.platform().credentials();
    return Map.of(
        "PLATFORM_BASE_URL", sandbox.baseUrl() + "/data/foundation",
        "PLATFORM_TOKEN_URL", sandbox.baseUrl() + "/ims/token/v3",
        "PLATFORM_CLIENT_ID", creds.clientId(),
        "PLATFORM_CLIENT_SECRET", creds.clientSecret(),
        "PLATFORM_IMS_ORG", creds.imsOrg());
  }
}
