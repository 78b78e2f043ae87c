package dev.sluice.activities.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.activities.auth.TokenCache;
import dev.sluice.activities.auth.TokenGrant;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import okhttp3.FormBody;
import okhttp3.HttpUrl;

/**
 * Adobe IMS's (older) service-account exchange: the form {@code client_id}, {@code client_secret},
 * {@code jwt_token}, where the token is a JWT signed RS256 over {@code {iss: org, sub: technical
 * account, aud: <ims>/c/<client id>, exp, "<ims>/s/<metascope>": true}}. Signed with the JDK's
 * {@link Signature} and {@link KeyFactory}: the format is three base64url segments, not worth a
 * library. Fetching and caching are {@link dev.sluice.activities.auth.OAuthTokens}'s.
 *
 * @param connection the resolved connection ({@code authType} {@code jwt})
 * @param mapper serialises the claims
 * @param clock dates the JWT's expiry
 */
record ImsJwtGrant(ResolvedConnection connection, ObjectMapper mapper, Clock clock)
    implements TokenGrant {
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  /** Lifetime claimed for the signed JWT: IMS only needs it for the exchange itself. */
  private static final Duration JWT_LIFETIME = Duration.ofMinutes(10);

  /**
   * IMS's JWT exchange answers {@code expires_in} in milliseconds (86399992 for a day). A value
   * above a week read as seconds can only be milliseconds; below it, it is seconds (as emulations
   * tend to answer).
   */
  private static final long MAX_PLAUSIBLE_SECONDS = Duration.ofDays(7).toSeconds();

  @Override
  public String tokenUrl() {
    return connection.tokenUrl();
  }

  @Override
  public String describe() {
    return "IMS token endpoint " + connection.tokenUrl();
  }

  @Override
  public String cacheKey() {
    return TokenCache.keyOf(
        "jwt",
        connection.tokenUrl(),
        connection.clientId(),
        connection.clientSecret(),
        connection.technicalAccountId(),
        connection.privateKey(),
        connection.metascopes(),
        connection.imsOrg());
  }

  @Override
  public Duration refreshBefore() {
    return connection.refreshBefore();
  }

  @Override
  public FormBody form() {
    return new FormBody.Builder()
        .add("client_id", connection.clientId())
        .add("client_secret", connection.clientSecret())
        .add("jwt_token", jwt())
        .build();
  }

  /** Milliseconds or seconds (see above); none given: IMS tokens live 24h. */
  @Override
  public Duration lifetime(JsonNode expiresIn) {
    long value = expiresIn.asLong(0);
    if (value > MAX_PLAUSIBLE_SECONDS) {
      value = value / 1000;
    }
    return value > 0 ? Duration.ofSeconds(value) : Duration.ofHours(24);
  }

  private String jwt() {
    HttpUrl tokenUrl = HttpUrl.get(connection.tokenUrl());
    String imsHost =
        tokenUrl.scheme()
            + "://"
            + tokenUrl.host()
            + (tokenUrl.port() == HttpUrl.defaultPort(tokenUrl.scheme())
                ? ""
                : ":" + tokenUrl.port());
    if (connection.privateKey() == null || connection.technicalAccountId() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "authType jwt needs technicalAccountId and privateKey",
          FailureType.INVALID_PIPELINE.type());
    }
    return sign(
        mapper,
        imsHost,
        connection.clientId(),
        connection.imsOrg(),
        connection.technicalAccountId(),
        connection.metascopes(),
        connection.privateKey(),
        clock.instant().plus(JWT_LIFETIME));
  }

  /**
   * The compact JWS.
   *
   * @param imsHost scheme and host of IMS, e.g. {@code https://ims-na1.adobelogin.com}
   * @param privateKeyPem PKCS#8 PEM ({@code BEGIN PRIVATE KEY}); a PKCS#1 key ({@code BEGIN RSA
   *     PRIVATE KEY}) must be converted first
   * @throws ApplicationFailure non-retryable {@link FailureType#AUTH_FAILED} when the key cannot
   *     be read; the message never quotes the key
   */
  static String sign(
      ObjectMapper mapper,
      String imsHost,
      String clientId,
      String imsOrg,
      String technicalAccountId,
      String metascopes,
      String privateKeyPem,
      Instant expiresAt) {
    ObjectNode claims = mapper.createObjectNode();
    claims.put("exp", expiresAt.getEpochSecond());
    claims.put("iss", imsOrg);
    claims.put("sub", technicalAccountId);
    claims.put("aud", imsHost + "/c/" + clientId);
    if (metascopes != null) {
      for (String metascope : metascopes.split(",")) {
        String m = metascope.trim();
        if (!m.isEmpty()) {
          // A metascope may be given as a bare name or already as the full claim URL.
          claims.put(m.startsWith("http") ? m : imsHost + "/s/" + m, true);
        }
      }
    }
    String header =
        B64URL.encodeToString(
            "{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload;
    try {
      payload = B64URL.encodeToString(mapper.writeValueAsBytes(claims));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise JWT claims", e);
    }
    String signingInput = header + "." + payload;
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(privateKey(privateKeyPem));
      rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64URL.encodeToString(rs256.sign());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "cannot sign the IMS JWT with the configured private key: "
              + e.getClass().getSimpleName()
              + " (expected a PKCS#8 PEM RSA key, -----BEGIN PRIVATE KEY-----)",
          FailureType.AUTH_FAILED.type());
    }
  }

  private static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    if (pem.contains("BEGIN RSA PRIVATE KEY")) {
      throw new GeneralSecurityException("PKCS#1 key");
    }
    String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(base64);
    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
  }
}
