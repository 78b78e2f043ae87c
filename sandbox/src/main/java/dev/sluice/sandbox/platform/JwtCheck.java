package dev.sluice.sandbox.platform;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;

/**
 * Checks a service-account JWT as IMS's exchange does: three base64url parts, a JSON header and
 * payload, {@code exp} in the future, {@code iss} the organisation, {@code aud} ending in {@code
 * /c/<client id>}, a {@code sub}. The RS256 signature is verified only when a public key has been
 * registered ({@link PlatformEmulator#jwtPublicKey}); otherwise it is not checked.
 */
final class JwtCheck {

  private final Clock clock;
  private volatile PublicKey publicKey;

  JwtCheck(Clock clock) {
    this.clock = clock;
  }

  void publicKey(PublicKey key) {
    this.publicKey = key;
  }

  /** What is wrong with {@code token}, or null when it is acceptable. */
  String problem(String token, PlatformCredentials expected) {
    if (token == null || token.isBlank()) {
      return "jwt_token is required";
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return "JWT token is incorrectly formatted: expected header.payload.signature";
    }
    JsonNode header = decode(parts[0]);
    JsonNode payload = decode(parts[1]);
    if (header == null || payload == null || !header.isObject() || !payload.isObject()) {
      return "JWT token is incorrectly formatted: header and payload must be base64url JSON"
                 + " objects";
    }
    JsonNode exp = payload.get("exp");
    if (exp == null || !exp.canConvertToLong()) {
      return "JWT token has no numeric exp claim";
    }
    if (exp.asLong() <= clock.millis() / 1000) {
      return "Could not match JWT signature to any of the bindings: token has expired";
    }
    if (!expected.imsOrg().equals(payload.path("iss").asText())) {
      return "JWT iss must be the organisation " + expected.imsOrg();
    }
    if (!payload.path("aud").asText().endsWith("/c/" + expected.clientId())) {
      return "JWT aud must end with /c/" + expected.clientId();
    }
    if (payload.path("sub").asText().isEmpty()) {
      return "JWT sub (the technical account) is required";
    }
    PublicKey key = publicKey;
    if (key != null && !verified(key, header, parts)) {
      return "Could not match JWT signature to any of the bindings";
    }
    return null;
  }

  private static boolean verified(PublicKey key, JsonNode header, String[] parts) {
    if (!"RS256".equals(header.path("alg").asText())) {
      return false;
    }
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(key);
      rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      return rsa.verify(Base64.getUrlDecoder().decode(parts[2]));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return false;
    }
  }

  private static JsonNode decode(String part) {
    try {
      return Reply.MAPPER.readTree(Base64.getUrlDecoder().decode(part));
    } catch (IllegalArgumentException | IOException e) {
      return null;
    }
  }
}
