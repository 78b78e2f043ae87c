package dev.sluice.activities.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.auth.MutableClock;
import dev.sluice.activities.http.ProviderClients;
import dev.sluice.activities.platform.FakePlatform.Reply;
import dev.sluice.activities.platform.PlatformCatalogClient.DatasetSchema;
import dev.sluice.activities.platform.PlatformCatalogClient.Preview;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.PlatformConnectionSpec;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JWT exchange's signed token, and browsing the Catalog and Data Access APIs. */
class PlatformJwtAndCatalogTest {
  final ObjectMapper mapper = new ObjectMapper();
  final FakePlatform platform = new FakePlatform();

  @AfterEach
  void stop() {
    platform.close();
  }

  @Test
  void givenJwtAuth_whenExchanging_thenPostsAnRs256JwtThatVerifiesWithThePublicKey()
      throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    platform.route(
        "POST",
        "/ims/exchange/jwt",
        c ->
            Reply.json(
                200,
                "{\"token_type\":\"bearer\",\"access_token\":\"jt\",\"expires_in\":86399992}"));
    platform.route(
        "GET",
        "/data/foundation/catalog/batches/B1",
        c -> Reply.json(200, "{\"status\":\"loading\"}"));
    PlatformConnectionSpec spec =
        new PlatformConnectionSpec(
            platform.url("/data/foundation"),
            "jwt",
            platform.url("/ims/exchange/jwt"),
            "client-1",
            "${env:S}",
            null,
            "TECH@techacct.adobe.com",
            "${env:KEY}",
            "ent_dataservices_sdk",
            "ORG@AdobeOrg",
            null,
            null);
    MutableClock clock = new MutableClock(Instant.parse("2024-05-01T00:00:00Z"));
    PlatformSession session =
        new PlatformSession(
            spec,
            new ProviderClients(
                new OkHttpClient(),
                mapper,
                new SecretResolver(Map.of("S", "secret", "KEY", pem)::get, "w"),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                clock));

    session.getJson(session.connection.url("catalog", "batches", "B1").build());
    clock.advance(java.time.Duration.ofHours(23)); // expires_in in ms: a day, so still cached
    session.getJson(session.connection.url("catalog", "batches", "B1").build());

    assertThat(platform.calls("POST", "/ims/exchange/jwt")).hasSize(1);
    Map<String, String> form = form(platform.calls("POST", "/ims/exchange/jwt").get(0).text());
    assertThat(form)
        .containsEntry("client_id", "client-1")
        .containsEntry("client_secret", "secret");
    String[] parts = form.get("jwt_token").split("\\.");
    Signature verify = Signature.getInstance("SHA256withRSA");
    verify.initVerify(keys.getPublic());
    verify.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(verify.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    JsonNode header = mapper.readTree(Base64.getUrlDecoder().decode(parts[0]));
    assertThat(header.get("alg").asText()).isEqualTo("RS256");
    JsonNode claims = mapper.readTree(Base64.getUrlDecoder().decode(parts[1]));
    String ims = platform.url("");
    assertThat(claims.get("iss").asText()).isEqualTo("ORG@AdobeOrg");
    assertThat(claims.get("sub").asText()).isEqualTo("TECH@techacct.adobe.com");
    assertThat(claims.get("aud").asText()).isEqualTo(ims + "/c/client-1");
    assertThat(claims.get(ims + "/s/ent_dataservices_sdk").asBoolean()).isTrue();
    assertThat(claims.get("exp").asLong())
        .isEqualTo(Instant.parse("2024-05-01T00:10:00Z").getEpochSecond());
  }

  @Test
  void givenMoreDatasetsThanAPage_whenListing_thenEveryPageIsRead() {
    token();
    platform.route(
        "GET",
        "/data/foundation/catalog/dataSets",
        c -> {
          int start = Integer.parseInt(param(c.query(), "start"));
          int limit = Integer.parseInt(param(c.query(), "limit"));
          String body =
              IntStream.range(start, Math.min(start + limit, 230))
                  .mapToObj(
                      i -> "\"ds" + i + "\":{\"name\":\"Dataset " + i + "\",\"created\":" + i + "}")
                  .collect(Collectors.joining(",", "{", "}"));
          return Reply.json(200, body);
        });

    List<PlatformCatalogClient.Dataset> datasets = client().datasets();

    assertThat(datasets).hasSize(230);
    assertThat(datasets.get(229).name()).isEqualTo("Dataset 229");
    assertThat(platform.calls("GET", "/data/foundation/catalog/dataSets")).hasSize(3);
  }

  @Test
  void givenSchemaLinkOrOnlyObservableSchemaOrOnlyFields_whenReadingSchema_thenBestSourceWins() {
    token();
    platform.route(
        "GET",
        "/data/foundation/catalog/dataSets/D1",
        c ->
            Reply.json(
                200,
                "{\"D1\":{\"schema\":\"@/xdms/context/person\",\"observableSchema\":{\"type\":\"object\"},\"fields\":[]}}"));
    platform.route(
        "GET",
        "/data/foundation/catalog/xdms/context/person",
        c -> Reply.json(200, "{\"title\":\"Person\",\"expanded\":\"" + c.query() + "\"}"));
    platform.route(
        "GET",
        "/data/foundation/catalog/dataSets/D2",
        c ->
            Reply.json(
                200,
                "{\"D2\":{\"observableSchema\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}},\"fields\":[]}}"));
    platform.route(
        "GET",
        "/data/foundation/catalog/dataSets/D3",
        c -> Reply.json(200, "{\"D3\":{\"fields\":[{\"name\":\"age\",\"type\":\"string\"}]}}"));
    PlatformCatalogClient client = client();

    DatasetSchema registry = client.schema("D1");
    assertThat(registry.source()).isEqualTo(PlatformCatalogClient.REGISTRY);
    assertThat(registry.schema().get("title").asText()).isEqualTo("Person");
    assertThat(registry.schema().get("expanded").asText()).isEqualTo("expansion=xdm");
    assertThat(client.schema("D2").source()).isEqualTo(PlatformCatalogClient.OBSERVABLE);
    DatasetSchema fields = client.schema("D3");
    assertThat(fields.source()).isEqualTo(PlatformCatalogClient.FIELDS);
    assertThat(fields.schema().get(0).get("name").asText()).isEqualTo("age");
  }

  @Test
  void givenLatestSuccessfulBatch_whenPreviewing_thenBatchFilesListingAndFirstRowsOfContent() {
    token();
    platform.route(
        "GET",
        "/data/foundation/catalog/batches",
        c ->
            Reply.json(
                200,
                "{\"OLD\":{\"status\":\"success\",\"created\":1},\"NEW\":{\"status\":\"success\",\"created\":2}}"));
    platform.route(
        "GET",
        "/data/foundation/export/batches/NEW/files",
        c ->
            Reply.json(
                200,
                "{\"data\":[{\"dataSetFileId\":\"F1\",\"_links\":{\"self\":{\"href\":\""
                    + platform.url("/data/foundation/export/files/F1")
                    + "\"}}}],"
                    + "\"_page\":{\"limit\":100,\"count\":1}}"));
    platform.route(
        "GET",
        "/data/foundation/export/files/F1",
        c ->
            c.query() == null
                ? Reply.json(
                    200,
                    "{\"data\":[{\"name\":\"filename1.csv\",\"length\":\"93\",\"_links\":{\"self\":{\"href\":\""
                        + platform.url("/data/foundation/export/files/F1?path=filename1.csv")
                        + "\"}}}],\"_page\":{\"limit\":100,\"count\":1}}")
                : Reply.bytes(
                    ("name,age,date,digit,gender,email,float,alpha\n"
                            + "John Kumar,,,,male,johnk@email.com,,\n"
                            + "\"Gupta, Marry\",,,,female,marryg@email.com,,\n"
                            + "Third,,,,x,y,,\n")
                        .getBytes(StandardCharsets.UTF_8)));

    Preview preview = client().preview("D1", 2);

    assertThat(preview.batchId()).isEqualTo("NEW");
    assertThat(preview.file()).isEqualTo("filename1.csv");
    assertThat(preview.columns()).startsWith("name", "age");
    assertThat(preview.rows()).hasSize(2);
    assertThat(preview.rows().get(1))
        .containsEntry("name", "Gupta, Marry")
        .containsEntry("age", null)
        .containsEntry("email", "marryg@email.com");
    assertThat(
            param(
                platform.calls("GET", "/data/foundation/catalog/batches").get(0).query(),
                "dataSet"))
        .isEqualTo("D1");
  }

  private void token() {
    platform.route(
        "POST",
        "/ims/token/v3",
        c -> Reply.json(200, "{\"access_token\":\"t\",\"expires_in\":3600}"));
  }

  private PlatformCatalogClient client() {
    return new PlatformCatalogClient(
        new OkHttpClient(),
        mapper,
        new SecretResolver(Map.<String, String>of()::get, "w"),
        new PlatformConnectionSpec(
            platform.url("/data/foundation"),
            null,
            platform.url("/ims/token/v3"),
            "c",
            "s",
            null,
            null,
            null,
            null,
            "ORG@AdobeOrg",
            null,
            null));
  }

  private static String param(String query, String name) {
    return form(query).get(name);
  }

  private static Map<String, String> form(String text) {
    return java.util.Arrays.stream(text.split("&"))
        .map(p -> p.split("=", 2))
        .collect(
            Collectors.toMap(
                p -> p[0],
                p -> java.net.URLDecoder.decode(p.length > 1 ? p[1] : "", StandardCharsets.UTF_8)));
  }
}
