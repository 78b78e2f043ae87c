package dev.sluice.activities.http;

import dev.sluice.pipeline.PaginationSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.auth.Authenticator;
import dev.sluice.activities.http.TestServer.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JsonPagesTest {
  private final TestServer server = new TestServer();
  private final JsonPages pages =
      new JsonPages(
          new ProviderHttp(
              new OkHttpClient(),
              Authenticator.NONE,
              new HttpMetrics(new SimpleMeterRegistry()),
              Clock.systemUTC()),
          new ObjectMapper(),
          "listing page",
          10);

  @AfterEach
  void stop() {
    server.close();
  }

  private static Pagination nextUrl() {
    return Pagination.of(new PaginationSpec.NextUrl("/next", null, null, null));
  }

  private Request postFirst() {
    return new Request.Builder()
        .url(server.url("/list"))
        .post(RequestBody.create("{\"q\":1}", MediaType.get("application/json")))
        .build();
  }

  @Test
  void givenAPostedFirstPage_whenItLinksToTheNext_thenTheNextIsFetchedWithGetFromItsRelativeLink() {
    server.route(
        "/list",
        call ->
            call.query() == null
                ? Reply.json(200, "{\"files\":[1,2],\"next\":\"list?page=2\"}")
                : Reply.json(200, "{\"files\":[3],\"next\":null}"));
    List<String> seen = new ArrayList<>();

    int read =
        pages.readAll(
            postFirst(),
            nextUrl(),
            (url, body) -> {
              seen.add(body.get("files").toString());
              return body.get("files").size();
            });

    assertThat(read).isEqualTo(2);
    assertThat(seen).containsExactly("[1,2]", "[3]");
    assertThat(server.calls("/list"))
        .extracting(TestServer.Call::method)
        .containsExactly("POST", "GET");
    assertThat(server.calls("/list").get(1).query()).isEqualTo("page=2");
  }

  @Test
  void givenANextLinkThatIsNoUrl_whenPaging_thenMalformedData() {
    server.route("/list", call -> Reply.json(200, "{\"next\":\"http://[bad\"}"));

    assertThatThrownBy(() -> pages.readAll(postFirst(), nextUrl(), (url, body) -> 0))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("MalformedData");
              assertThat(f.isNonRetryable()).isTrue();
            });
  }

  @Test
  void givenALinkThatAlwaysPointsOn_whenPagingPastTheLimit_thenInvalidPipeline() {
    server.route("/list", call -> Reply.json(200, "{\"next\":\"list?again=1\"}"));

    assertThatThrownBy(() -> pages.readAll(postFirst(), nextUrl(), (url, body) -> 0))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getOriginalMessage()).contains("more than 10 listing pages"));
    assertThat(server.calls("/list")).hasSize(10);
  }
}
