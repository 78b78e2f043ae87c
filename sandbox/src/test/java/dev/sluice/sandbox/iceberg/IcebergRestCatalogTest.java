package dev.sluice.sandbox.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST catalog emulation's answers, as the Iceberg REST OpenAPI spec has them: read over plain
 * HTTP (status, error type and code), and through Iceberg's own Java client.
 */
class IcebergRestCatalogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BEARER = "Bearer " + IcebergRestCatalog.TOKEN;

  @TempDir static Path warehouse;
  private static IcebergRestCatalog server;
  private static String uri;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    server = IcebergRestCatalog.serve(warehouse);
    uri = server.uri();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private HttpResponse<String> send(String method, String path, String auth, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(uri + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (auth != null) {
      request.header("Authorization", auth);
    }
    if (body != null && body.startsWith("grant_type")) {
      request.header("Content-Type", "application/x-www-form-urlencoded");
    }
    return http.send(request.build(), BodyHandlers.ofString());
  }

  /** The spec's error model: {@code {"error": {"message", "type", "code"}}}. */
  private static void assertError(HttpResponse<String> response, int code, String type)
      throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo(type);
    assertThat(error.path("code").asInt()).isEqualTo(code);
    assertThat(error.path("message").asText()).isNotBlank();
  }

  @Test
  void givenNoOrAWrongBearerToken_whenAnEndpointIsCalled_then401NotAuthorized() throws Exception {
    assertError(send("GET", "/v1/config", null, null), 401, "NotAuthorizedException");
    assertError(send("GET", "/v1/namespaces", "Bearer nope", null), 401, "NotAuthorizedException");

    HttpResponse<String> config = send("GET", "/v1/config?warehouse=w", BEARER, null);
    assertThat(config.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(config.body()).path("endpoints").toString())
        .contains("POST /v1/{prefix}/namespaces/{namespace}/tables/{table}")
        .contains("HEAD /v1/{prefix}/namespaces/{namespace}/tables/{table}");
  }

  @Test
  void givenClientCredentials_whenATokenIsRequested_thenItOpensTheCatalogAndWrongOnesGetOAuthErrors()
      throws Exception {
    HttpResponse<String> wrong =
        send("POST", "/v1/oauth/tokens", null,
            "grant_type=client_credentials&client_id=" + IcebergRestCatalog.CLIENT_ID
                + "&client_secret=guess&scope=catalog");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(wrong.body()).path("error").asText()).isEqualTo("invalid_client");
    HttpResponse<String> unsupported = send("POST", "/v1/oauth/tokens", null, "grant_type=password");
    assertThat(unsupported.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(unsupported.body()).path("error").asText())
        .isEqualTo("unsupported_grant_type");

    HttpResponse<String> granted =
        send("POST", "/v1/oauth/tokens", null,
            "grant_type=client_credentials&client_id=" + IcebergRestCatalog.CLIENT_ID
                + "&client_secret=" + IcebergRestCatalog.CLIENT_SECRET + "&scope=catalog");
    JsonNode token = JSON.readTree(granted.body());
    assertThat(granted.statusCode()).isEqualTo(200);
    assertThat(token.path("token_type").asText()).isEqualToIgnoringCase("bearer");
    assertThat(token.path("expires_in").asInt()).isPositive();
    String bearer = "Bearer " + token.path("access_token").asText();
    assertThat(send("GET", "/v1/namespaces", bearer, null).statusCode()).isEqualTo(200);
  }

  @Test
  void givenMissingOrTakenNames_whenCalled_thenTheSpecsNotFoundAndConflictErrors() throws Exception {
    assertError(send("GET", "/v1/namespaces/nowhere", BEARER, null), 404, "NoSuchNamespaceException");
    assertError(
        send("GET", "/v1/namespaces/nowhere/tables/t", BEARER, null),
        404,
        "NoSuchNamespaceException");

    assertThat(send("POST", "/v1/namespaces", BEARER, "{\"namespace\":[\"errs\"]}").statusCode())
        .isEqualTo(200);
    assertError(
        send("GET", "/v1/namespaces/errs/tables/t", BEARER, null), 404, "NoSuchTableException");
    HttpResponse<String> head = send("HEAD", "/v1/namespaces/errs/tables/t", BEARER, null);
    assertThat(head.statusCode()).isEqualTo(404);
    assertThat(head.body()).isEmpty();
    assertThat(send("HEAD", "/v1/namespaces/errs", BEARER, null).statusCode()).isEqualTo(204);
    assertError(
        send("POST", "/v1/namespaces", BEARER, "{\"namespace\":[\"errs\"]}"),
        409,
        "AlreadyExistsException");
    assertError(send("POST", "/v1/namespaces", BEARER, "{not json"), 400, "BadRequestException");
    assertError(send("GET", "/v1/nothing/here", BEARER, null), 400, "BadRequestException");
  }

  @Test
  void givenAStaleCommit_whenPosted_then409CommitFailedAndTheTableIsUnchanged() throws Exception {
    try (RESTCatalog client = client()) {
      client.createNamespace(Namespace.of("stale"));
      Table table =
          client.createTable(
              TableIdentifier.of("stale", "t"),
              new Schema(Types.NestedField.optional(1, "id", Types.LongType.get())));
      String commit =
          "{\"requirements\":[{\"type\":\"assert-table-uuid\",\"uuid\":\"00000000-0000-0000-0000-000000000000\"}],"
              + "\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"k\":\"v\"}}]}";

      assertError(send("POST", "/v1/namespaces/stale/tables/t", BEARER, commit), 409,
          "CommitFailedException");
      table.refresh();
      assertThat(table.properties()).doesNotContainKey("k");
    }
  }

  @Test
  void givenQueuedConflicts_whenIcebergsClientCommits_thenItRetriesAndTheCommitLandsOnce()
      throws Exception {
    try (RESTCatalog client = client()) {
      client.createNamespace(Namespace.of("a", "b"));
      Table table =
          client.createTable(
              TableIdentifier.of(Namespace.of("a", "b"), "t"),
              new Schema(Types.NestedField.optional(1, "id", Types.LongType.get())));
      int before = server.commits();
      server.conflictOnNextCommits(1);

      table.updateProperties().set("owner", "sluice").commit();

      assertThat(client.loadTable(TableIdentifier.of(Namespace.of("a", "b"), "t")).properties())
          .containsEntry("owner", "sluice");
      assertThat(server.commits()).isEqualTo(before + 1);
      assertThat(client.listNamespaces(Namespace.of("a"))).containsExactly(Namespace.of("a", "b"));
      assertThat(Files.exists(warehouse.resolve(IcebergRestCatalog.CATALOG_DB))).isTrue();
    }
  }

  /** Iceberg's own REST client, signed in with the OAuth2 client credentials. */
  private static RESTCatalog client() {
    RESTCatalog client = new RESTCatalog();
    client.initialize(
        "test",
        Map.of(
            "uri", uri,
            "credential", IcebergRestCatalog.CLIENT_ID + ":" + IcebergRestCatalog.CLIENT_SECRET));
    return client;
  }
}
