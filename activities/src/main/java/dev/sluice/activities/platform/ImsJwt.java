package dev.sluice.activities.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;

/**
 * The signed JWT of Adobe IMS's (older) service-account exchange: RS256 over {@code {iss: org, sub:
 * technical account, aud: <ims>/c/<client id>, exp, "<ims>/s/<metascope>": true}}. Built with the
 * JDK's {@link Signature} and {@link KeyFactory}: the format is three base64url segments, not worth
 * a library.
 */
final class ImsJwt {
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private ImsJwt() {}

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
