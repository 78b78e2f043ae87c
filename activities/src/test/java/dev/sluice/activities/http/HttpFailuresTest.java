package dev.sluice.activities.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.RequestSpec;
import java.util.Map;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

/** Request descriptions in failure messages: the whole URL, query included, without secrets. */
class HttpFailuresTest {
  private final RequestRenderer renderer =
      new RequestRenderer(
          new SecretResolver(Map.of("TENANT", "acme-7f3k", "SIG", "s3cr3t-sig")::get, "w1"));

  private Request rendered(String urlTemplate) {
    return renderer.render(new RequestSpec("GET", urlTemplate, Map.of(), null), Map.of());
  }

  @Test
  void givenPlainUrl_whenDescribed_thenMethodUrlAndWholeQuery() {
    Request request = rendered("https://api.example.com/jobs/7/results?maxRecords=40&locator=MTAw");

    assertThat(HttpFailures.describe(request))
        .isEqualTo("GET https://api.example.com:443/jobs/7/results?maxRecords=40&locator=MTAw");
  }

  @Test
  void givenSecretsRenderedIntoPathAndQuery_whenDescribed_thenTheirValuesShowAsStars() {
    Request request =
        rendered("https://api.example.com/t/${env:TENANT}/data?page=2&s=${env:SIG}");

    String described = HttpFailures.describe(request);

    assertThat(described)
        .isEqualTo("GET https://api.example.com:443/t/***/data?page=2&s=***")
        .doesNotContain("acme-7f3k")
        .doesNotContain("s3cr3t-sig");
  }

  @Test
  void givenLaterPageUrlEchoingTheSecret_whenDescribed_thenStillHidden() {
    Request first = rendered("https://api.example.com/data?s=${env:SIG}");
    Request next =
        first.newBuilder().url("https://api.example.com/data?cursor=abc&s=s3cr3t-sig").build();

    assertThat(HttpFailures.describe(next))
        .isEqualTo("GET https://api.example.com:443/data?cursor=abc&s=***");
  }

  @Test
  void givenParameterNamedLikeACredential_whenDescribed_thenItsValueIsHiddenEvenIfLiteral() {
    Request request =
        new Request.Builder()
            .url("https://u:p@api.example.com/x?api_key=literal&access_token=t&page=3")
            .build();

    assertThat(HttpFailures.describe(request))
        .isEqualTo("GET https://api.example.com:443/x?api_key=***&access_token=***&page=3");
  }
}
