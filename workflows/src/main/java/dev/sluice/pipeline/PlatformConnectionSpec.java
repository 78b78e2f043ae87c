package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;

/**
 * How to reach a data platform's APIs (Adobe Experience Platform and its sandbox emulation): base
 * URL, the IMS credentials and the headers every call needs. String fields may hold secret
 * references ({@code ${env:NAME}}, {@code ${file:/path}}), resolved only inside activities.
 *
 * @param baseUrl API base, e.g. {@code https://platform.adobe.io/data/foundation}
 * @param authType {@code oauth-server-to-server} (client credentials against IMS, default) or
 *     {@code jwt} (the older JWT exchange)
 * @param tokenUrl IMS token endpoint ({@code .../ims/token/v3} for client credentials, {@code
 *     .../ims/exchange/jwt} for JWT)
 * @param clientId the integration's client ID; also sent as {@code x-api-key}
 * @param clientSecret the integration's client secret
 * @param scope client credentials: scopes (comma-separated)
 * @param technicalAccountId jwt: the technical account ID ({@code sub} of the JWT)
 * @param privateKey jwt: PEM private key (a {@code ${file:...}} reference)
 * @param metascopes jwt: metascopes claimed in the JWT (comma-separated)
 * @param imsOrg {@code x-gw-ims-org-id}
 * @param sandboxName {@code x-sandbox-name} (default {@code prod})
 * @param refreshBefore refresh a cached token this long before it expires (default 5m)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlatformConnectionSpec(
    String baseUrl,
    String authType,
    String tokenUrl,
    String clientId,
    String clientSecret,
    String scope,
    String technicalAccountId,
    String privateKey,
    String metascopes,
    String imsOrg,
    String sandboxName,
    Duration refreshBefore) {
  public PlatformConnectionSpec {
    authType = authType == null ? "oauth-server-to-server" : authType;
    sandboxName = sandboxName == null ? "prod" : sandboxName;
    refreshBefore = refreshBefore == null ? Duration.ofMinutes(5) : refreshBefore;
  }
}
