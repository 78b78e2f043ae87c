package dev.sluice.sandbox.platform;

import static dev.sluice.sandbox.platform.PlatformClient.FOUNDATION;
import static dev.sluice.sandbox.platform.PlatformClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PlatformAuthTest {

  private static SandboxServer sandbox;
  private static PlatformClient client;
  private static final PlatformCredentials CREDS = PlatformCredentials.defaults();
  private static final String DATASETS = FOUNDATION + "/catalog/dataSets";

  @BeforeAll
  static void start() {
    sandbox = SandboxServer.start(SandboxConfig.defaults());
    client = new PlatformClient(sandbox.baseUrl());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @BeforeEach
  void reset() {
    sandbox.platform().reset();
    client.forgetToken();
  }

  @Test
  void givenClientCredentials_whenRequestingToken_thenBearerTokenValidForADay() throws Exception {
    HttpResponse<String> response =
        client.postForm(
            "/ims/token/v3",
            "grant_type=client_credentials&client_id="
                + CREDS.clientId()
                + "&client_secret="
                + CREDS.clientSecret()
                + "&scope=openid");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("token_type").asText()).isEqualTo("bearer");
    assertThat(json(response).get("expires_in").asLong()).isEqualTo(86_399);
    assertThat(json(response).get("access_token").asText()).isNotBlank();
    assertThat(sandbox.platform().stats().tokenGrants()).isEqualTo(1);
  }

  @Test
  void givenWrongSecret_whenRequestingToken_thenImsInvalidClient() throws Exception {
    HttpResponse<String> response =
        client.postForm(
            "/ims/token/v3",
            "grant_type=client_credentials&client_id=" + CREDS.clientId() + "&client_secret=nope");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(json(response).get("error").asText()).isEqualTo("invalid_client");
  }

  @Test
  void givenNoToken_whenListingDatasets_then401WithGatewayError() throws Exception {
    HttpResponse<String> response =
        client.send(
            client
                .bare(DATASETS)
                .header("x-api-key", CREDS.clientId())
                .header("x-gw-ims-org-id", CREDS.imsOrg())
                .header("x-sandbox-name", CREDS.sandboxName()));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(json(response).get("error_code").asText()).isEqualTo("401013");
    assertThat(sandbox.platform().stats().rejectedCalls()).isEqualTo(1);
  }

  @Test
  void givenMissingApiKeyOrgOrSandbox_whenListingDatasets_then403Each() throws Exception {
    String token = client.token();
    HttpResponse<String> noKey =
        client.send(
            client
                .bare(DATASETS)
                .header("Authorization", "Bearer " + token)
                .header("x-gw-ims-org-id", CREDS.imsOrg())
                .header("x-sandbox-name", CREDS.sandboxName()));
    HttpResponse<String> wrongOrg =
        client.send(client.authed(DATASETS).setHeader("x-gw-ims-org-id", "OTHER@AdobeOrg"));
    HttpResponse<String> noSandbox =
        client.send(
            client
                .bare(DATASETS)
                .header("Authorization", "Bearer " + token)
                .header("x-api-key", CREDS.clientId())
                .header("x-gw-ims-org-id", CREDS.imsOrg()));

    assertThat(noKey.statusCode()).isEqualTo(403);
    assertThat(json(noKey).get("error_code").asText()).isEqualTo("403000");
    assertThat(wrongOrg.statusCode()).isEqualTo(403);
    assertThat(noSandbox.statusCode()).isEqualTo(403);
    assertThat(client.send(client.authed(DATASETS)).statusCode()).isEqualTo(200);
  }

  @Test
  void givenRevokedTokens_whenCalling_then401() throws Exception {
    client.token();
    sandbox.platform().revokeTokens();

    assertThat(client.send(client.authed(DATASETS)).statusCode()).isEqualTo(401);
  }

  @Test
  void givenSignedJwt_whenExchanging_thenTokenInMillisecondsAndTamperedOrExpiredRejected()
      throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    sandbox.platform().jwtPublicKey(keys.getPublic());
    long inAnHour = Instant.now().getEpochSecond() + 3600;

    HttpResponse<String> good = exchange(jwt(keys, inAnHour));
    String tampered = jwt(keys, inAnHour);
    tampered = tampered.substring(0, tampered.length() - 4) + "AAAA";
    HttpResponse<String> bad = exchange(tampered);
    HttpResponse<String> expired = exchange(jwt(keys, Instant.now().getEpochSecond() - 10));
    HttpResponse<String> malformed = exchange("not-a-jwt");

    assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
    assertThat(json(good).get("expires_in").asLong()).isEqualTo(86_399_000L);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(expired.statusCode()).isEqualTo(400);
    assertThat(json(expired).get("error_description").asText()).contains("expired");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(json(malformed).get("error").asText()).isEqualTo("invalid_token");
  }

  private HttpResponse<String> exchange(String jwt) throws Exception {
    return client.postForm(
        "/ims/exchange/jwt",
        "client_id="
            + CREDS.clientId()
            + "&client_secret="
            + CREDS.clientSecret()
            + "&jwt_token="
            + jwt);
  }

  private static String jwt(KeyPair keys, long exp) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header =
        b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload =
        b64.encodeToString(
            ("{\"exp\":"
                    + exp
                    + ",\"iss\":\""
                    + CREDS.imsOrg()
                    + "\",\"sub\":\"tech@techacct.adobe.com\",\"aud\":\"https://ims-na1.adobelogin.com/c/"
                    + CREDS.clientId()
                    + "\",\"https://ims-na1.adobelogin.com/s/ent_dataservices_sdk\":true}")
                .getBytes(StandardCharsets.UTF_8));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(keys.getPrivate());
    rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
    return header + "." + payload + "." + b64.encodeToString(rsa.sign());
  }
}
