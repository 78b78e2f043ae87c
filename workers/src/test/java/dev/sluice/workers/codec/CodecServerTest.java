package dev.sluice.workers.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The codec server over loopback, as the Web UI and the {@code temporal} CLI call it. */
class CodecServerTest {
  static final String UI = "http://127.0.0.1:8080";
  static final String TOKEN = "s3cr3t-token";

  final AesGcmPayloadCodec codec =
      new AesGcmPayloadCodec(
          AesGcmPayloadCodecTest.ring(
              "k2", Map.of("k1", CodecKeysTest.K1, "k2", CodecKeysTest.K2)));
  final HttpClient http = HttpClient.newHttpClient();
  CodecServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  CodecServer start(Optional<String> token, Set<String> namespaces) {
    server =
        CodecServer.start(
            codec,
            new CodecServer.Settings(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Set.of(UI),
                token,
                namespaces));
    return server;
  }

  HttpResponse<String> post(String path, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String json(Payload... payloads) throws Exception {
    return JsonFormat.printer().print(Payloads.newBuilder().addAllPayloads(List.of(payloads)));
  }

  static List<Payload> parse(String json) throws Exception {
    Payloads.Builder b = Payloads.newBuilder();
    JsonFormat.parser().merge(json, b);
    return b.getPayloadsList();
  }

  @Test
  void givenEncryptedPayloads_whenUiPostsDecode_thenPlainPayloadsWithCorsHeaders()
      throws Exception {
    start(Optional.empty(), Set.of());
    Payload plain = AesGcmPayloadCodecTest.json(AesGcmPayloadCodecTest.SECRET_TEXT);
    Payload underOldKey =
        new AesGcmPayloadCodec(AesGcmPayloadCodecTest.ring("k1", Map.of("k1", CodecKeysTest.K1)))
            .encode(List.of(plain))
            .get(0);
    Payload underActiveKey = codec.encode(List.of(plain)).get(0);

    HttpResponse<String> r =
        post(
            "/decode",
            json(underOldKey, underActiveKey),
            Map.of("Origin", UI, "X-Namespace", "default"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(UI);
    assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(parse(r.body())).containsExactly(plain, plain);
    // The wire format is the one the UI reads: base64 metadata values and data.
    assertThat(r.body()).contains("\"metadata\"").contains("\"encoding\":\"anNvbi9wbGFpbg==\"");
  }

  @Test
  void givenPlainPayloads_whenPostedToEncode_thenEncryptedWithTheActiveKey() throws Exception {
    start(Optional.empty(), Set.of());
    Payload plain = AesGcmPayloadCodecTest.json("signal input typed in the UI");

    HttpResponse<String> r = post("/default/encode", json(plain), Map.of());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Payload encrypted = parse(r.body()).get(0);
    assertThat(encrypted.getMetadataMap().get("encryption-key-id").toStringUtf8()).isEqualTo("k2");
    assertThat(codec.decode(List.of(encrypted))).containsExactly(plain);
  }

  @Test
  void givenUiOrigin_whenPreflight_thenAllowsPostAndTheUiHeadersWithoutAToken() throws Exception {
    start(Optional.of(TOKEN), Set.of());

    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/decode"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", UI)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-namespace,authorization")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(UI);
    assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(r.headers().firstValue("Access-Control-Allow-Methods").orElseThrow())
        .contains("POST");
    assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
        .contains("Content-Type", "X-Namespace", "Authorization");
  }

  @Test
  void givenOtherOrigin_whenPosting_thenRefusedWithoutCorsHeaders() throws Exception {
    start(Optional.empty(), Set.of());
    Payload encrypted = codec.encode(List.of(AesGcmPayloadCodecTest.json("x"))).get(0);

    HttpResponse<String> r =
        post("/decode", json(encrypted), Map.of("Origin", "http://evil.example"));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(r.body()).doesNotContain("anNvbi9wbGFpbg");
  }

  @Test
  void givenAuthToken_whenPostingWithoutOrWithWrongOrWithRightToken_then401_401_200()
      throws Exception {
    start(Optional.of(TOKEN), Set.of());
    String body = json(codec.encode(List.of(AesGcmPayloadCodecTest.json("x"))).get(0));

    HttpResponse<String> none = post("/decode", body, Map.of("Origin", UI));
    HttpResponse<String> wrong =
        post("/decode", body, Map.of("Origin", UI, "Authorization", "Bearer s3cr3t-tokeN"));
    HttpResponse<String> right =
        post("/decode", body, Map.of("Origin", UI, "Authorization", "Bearer " + TOKEN));

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
    // The browser must be able to read the 401, so CORS headers stay on it.
    assertThat(none.headers().firstValue("Access-Control-Allow-Origin")).hasValue(UI);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
    assertThat(parse(right.body())).containsExactly(AesGcmPayloadCodecTest.json("x"));
  }

  @Test
  void givenNamespaceAllowList_whenOtherNamespace_thenForbidden() throws Exception {
    start(Optional.empty(), Set.of("sluice-prod"));
    String body = json(codec.encode(List.of(AesGcmPayloadCodecTest.json("x"))).get(0));

    assertThat(post("/decode", body, Map.of("X-Namespace", "other")).statusCode()).isEqualTo(403);
    assertThat(post("/decode", body, Map.of()).statusCode()).isEqualTo(403);
    assertThat(post("/decode", body, Map.of("X-Namespace", "sluice-prod")).statusCode())
        .isEqualTo(200);
  }

  @Test
  void givenPayloadUnderUnknownKey_whenDecoding_then400NamingTheKeyId() throws Exception {
    start(Optional.empty(), Set.of());
    Payload foreign =
        new AesGcmPayloadCodec(
                AesGcmPayloadCodecTest.ring("k0", Map.of("k0", CodecKeysTest.key(9))))
            .encode(List.of(AesGcmPayloadCodecTest.json("x")))
            .get(0);

    HttpResponse<String> r = post("/decode", json(foreign), Map.of());

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .contains("codec key 'k0'")
        .doesNotContain(CodecKeysTest.K1)
        .doesNotContain(CodecKeysTest.K2);
  }

  @Test
  void givenBadRequests_whenPosting_thenClientErrors() throws Exception {
    start(Optional.empty(), Set.of());

    assertThat(post("/decode", "{not json", Map.of()).statusCode()).isEqualTo(400);
    assertThat(post("/metrics", "{}", Map.of()).statusCode()).isEqualTo(404);
    HttpResponse<String> get =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/decode")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
  }

  @Test
  void givenLoopbackBind_whenStarted_thenListensOnLoopbackOnly() {
    start(Optional.empty(), Set.of());

    assertThat(server.baseUrl()).startsWith("http://127.0.0.1:");
  }
}
