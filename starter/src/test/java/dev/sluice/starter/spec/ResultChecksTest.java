package dev.sluice.starter.spec;

import static dev.sluice.starter.spec.Fixtures.minimalWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.ResultSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code extract.result} and the answer placeholders, through the loader. */
class ResultChecksTest {
  private static final String EXTRACT =
      "  extract:\n    url: https://api.example.com/exports/${requestId}/result\n";

  private final PipelineLoader loader = new PipelineLoader();

  private List<String> problemsOf(String yaml) {
    return Fixtures.problemsOf(loader, yaml);
  }

  private static String withExtract(String extract) {
    return minimalWith(EXTRACT, extract);
  }

  private static final String RESOLVED =
      """
        extract:
          result:
            type: url
            resolve:
              - url: https://api.example.com/documents/${status:/documentId}?h=${submit:/handle}
            url: ${resolved:/url}
            compressionPointer: /compressionAlgorithm
      """;

  @Test
  void givenUrlResultWithResolve_whenLoaded_thenTypedWithDefaults() throws Exception {
    AsyncHttpSource source =
        (AsyncHttpSource)
            loader.load(withExtract(RESOLVED), "test.yaml", Path.of("/p")).spec().source();

    ResultSpec.Url url = (ResultSpec.Url) source.extract().result();
    assertThat(url.url()).isEqualTo("${resolved:/url}");
    assertThat(url.resolve()).hasSize(1);
    assertThat(url.authorization()).isEqualTo(ResultSpec.SAME_HOST);
    assertThat(url.expiredWhen()).isEqualTo("Request has expired");
    assertThat(url.maxRefreshes()).isEqualTo(5);
  }

  @Test
  void givenNoResult_whenLoaded_thenTemplateAtExtractUrl() throws Exception {
    AsyncHttpSource source =
        (AsyncHttpSource)
            loader.load(Fixtures.read("minimal.yaml"), "test.yaml", Path.of("/p")).spec().source();

    assertThat(source.extract().result()).isEqualTo(ResultSpec.TEMPLATE);
  }

  @Test
  void givenAnswerValuesWhereTheyCannotBeResolved_whenLoaded_thenEachNamedWithItsPlace() {
    String yaml =
        minimalWith(
                "    url: https://api.example.com/exports\n",
                "    url: https://api.example.com/exports?h=${submit:/handle}\n")
            .replace(
                "    url: https://api.example.com/exports/${requestId}\n",
                "    url: https://api.example.com/exports/${status:/id}\n")
            .replace(
                EXTRACT,
                """
                  extract:
                    result:
                      type: url
                      resolve:
                        - url: https://api.example.com/d/${resolved:/id}
                      url: ${resolved:url}
                """);

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.submit.url: ${submit:/handle} is a value of the submit answer: only the"
                + " status, extract and clean-up requests can use it",
            "source.status.url: ${status:/id} is a value of the final status answer: only"
                + " extract.url, extract.headers, extract.result.url and extract.result.resolve"
                + " can use it",
            "source.extract.result.resolve[0].url: ${resolved:/id} is a value of the previous"
                + " extract.result.resolve step's answer: only a later resolve step and"
                + " extract.result.url can use it",
            "source.extract.result.url: ${resolved:url}: 'url' is not a JSON pointer (it starts"
                + " with '/', e.g. ${resolved:/url})");
  }

  @Test
  void givenUrlResultAndExtractUrl_whenLoaded_thenExtractUrlRejected() {
    String yaml =
        withExtract(
            EXTRACT + "    result: {type: url, url: \"${status:/url}\"}\n");

    assertThat(problemsOf(yaml)).isNotEmpty().allMatch(p -> p.startsWith("source.extract"));
  }

  @Test
  void givenUrlOnlyKeyOnTemplateResult_whenLoaded_thenRejected() {
    String yaml = withExtract(EXTRACT + "    result: {maxRefreshes: 2}\n");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.extract.result.maxRefreshes: applies only when type is url, not 'template'");
  }

  @Test
  void givenExpiresAtPointer_whenLoaded_thenKeptOnTheUrlResult() throws Exception {
    String yaml = withExtract(RESOLVED + "      expiresAtPointer: /urlExpiresAt\n");

    AsyncHttpSource source =
        (AsyncHttpSource) loader.load(yaml, "test.yaml", Path.of("/p")).spec().source();

    assertThat(((ResultSpec.Url) source.extract().result()).expiresAtPointer())
        .isEqualTo("/urlExpiresAt");
  }

  @Test
  void givenExpiresAtPointerThatIsNoPointer_whenLoaded_thenRejectedNamingTheKey() {
    String yaml = withExtract(RESOLVED + "      expiresAtPointer: urlExpiresAt\n");

    assertThat(problemsOf(yaml))
        .isNotEmpty()
        .anyMatch(p -> p.startsWith("source.extract.result.expiresAtPointer"));
  }

  @Test
  void givenExpiresAtPointerOnTemplateResult_whenLoaded_thenRejected() {
    String yaml = withExtract(EXTRACT + "    result: {expiresAtPointer: /urlExpiresAt}\n");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.extract.result.expiresAtPointer: applies only when type is url, not"
                + " 'template'");
  }
}
