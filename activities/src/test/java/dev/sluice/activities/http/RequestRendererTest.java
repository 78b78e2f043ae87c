package dev.sluice.activities.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.RequestSpec;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.Map;
import okhttp3.Request;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class RequestRendererTest {
  private final RequestRenderer renderer =
      new RequestRenderer(new SecretResolver(Map.of("KEY", "k-1")::get, "w1"));

  private static String body(Request request) throws IOException {
    Buffer buffer = new Buffer();
    request.body().writeTo(buffer);
    return buffer.readUtf8();
  }

  @Test
  void givenBodyWithoutContentType_whenRendered_thenPostedAsJsonWithVariablesAndSecrets()
      throws IOException {
    RequestSpec spec =
        new RequestSpec(
            null,
            "https://api.example.com/jobs",
            Map.of("Idempotency-Key", "${runId}", "X-Key", "${env:KEY}"),
            "{\"since\":\"${watermark}\"}");

    Request request = renderer.render(spec, Map.of("runId", "ingest/a/1", "watermark", "2026"));

    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.header("Idempotency-Key")).isEqualTo("ingest/a/1");
    assertThat(request.header("X-Key")).isEqualTo("k-1");
    assertThat(request.body().contentType()).hasToString("application/json");
    assertThat(body(request)).isEqualTo("{\"since\":\"2026\"}");
  }

  @Test
  void givenContentTypeHeader_whenRendered_thenBodyUsesItExactly() {
    RequestSpec spec =
        new RequestSpec(
            "POST", "https://api.example.com/q", Map.of("content-type", "text/csv"), "a,b");

    assertThat(renderer.render(spec, Map.of()).body().contentType()).hasToString("text/csv");
  }

  @Test
  void givenPostWithoutBody_whenRendered_thenAnEmptyBodyIsSent() {
    RequestSpec spec = new RequestSpec("PATCH", "https://api.example.com/jobs/1", null, null);

    assertThat(renderer.render(spec, Map.of()).body()).isNotNull();
  }

  @Test
  void givenUrlThatDoesNotParse_whenRendered_thenInvalidPipelineNamesTemplateNotSecret() {
    RequestSpec spec = new RequestSpec("GET", "api.example.com/${env:KEY}", null, null);

    assertThatThrownBy(() -> renderer.render(spec, Map.of()))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("InvalidPipeline");
              assertThat(f.getOriginalMessage()).contains("${env:KEY}").doesNotContain("k-1");
            });
  }
}
