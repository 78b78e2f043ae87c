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
            "source.extract.result.maxRefreshes: applies only when type is partitions or url or"
                + " urls, not 'template'");
  }

  private static final String PARTITIONS =
      """
        extract:
          result:
            type: partitions
            count: /resultSetMetaData/partitionInfo
            url: https://api.example.com/statements/${requestId}?partition=${partition}
          format:
            type: json
            recordsPath: /data
            arrayColumns: [ID, NAME]
      """;

  @Test
  void givenPartitionsResult_whenLoaded_thenTypedWithDefaults() throws Exception {
    AsyncHttpSource source =
        (AsyncHttpSource)
            loader.load(withExtract(PARTITIONS), "test.yaml", Path.of("/p")).spec().source();

    ResultSpec.Partitions partitions = (ResultSpec.Partitions) source.extract().result();
    assertThat(partitions.count()).isEqualTo("/resultSetMetaData/partitionInfo");
    assertThat(partitions.maxParallel()).isEqualTo(4);
    assertThat(partitions.authorization()).isEqualTo(ResultSpec.SAME_HOST);
    assertThat(((dev.sluice.pipeline.FormatSpec.Json) source.extract().format()).arrayColumns())
        .containsExactly("ID", "NAME");
  }

  @Test
  void givenUrlsResult_whenLoaded_thenTypedWithDefaults() throws Exception {
    String yaml =
        withExtract(
            """
              extract:
                result:
                  type: urls
                  resolve:
                    - url: https://api.example.com/jobs/${requestId}/resultPages
                  pointer: /resultPages
                  urlPointer: /resultUrl
                  nextPointer: /nextRecordsUrl
                  maxParallel: 5
            """);

    ResultSpec.Urls urls =
        (ResultSpec.Urls)
            ((AsyncHttpSource) loader.load(yaml, "test.yaml", Path.of("/p")).spec().source())
                .extract()
                .result();
    assertThat(urls.pointer()).isEqualTo("/resultPages");
    assertThat(urls.urlPointer()).isEqualTo("/resultUrl");
    assertThat(urls.nextPointer()).isEqualTo("/nextRecordsUrl");
    assertThat(urls.maxParallel()).isEqualTo(5);
    assertThat(urls.resolve()).hasSize(1);
  }

  @Test
  void givenPartitionOutsideAPartitionsUrl_whenLoaded_thenEachNamed() {
    String yaml =
        withExtract(
            """
              extract:
                url: https://api.example.com/exports/${requestId}?p=${partition}
            """);

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.extract.url: ${partition} is a partition's index: only extract.result.url of"
                + " result type partitions can use it");
  }

  @Test
  void givenPartitionsUrlWithoutPartition_whenLoaded_thenRejected() {
    String yaml =
        withExtract(PARTITIONS.replace("?partition=${partition}", ""));

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.extract.result.url: must use ${partition} (0 to the count less one): without"
                + " it every partition downloads the same URL");
  }

  @Test
  void givenPartsWithoutTheirKeysOrWithExtractUrl_whenLoaded_thenRejected() {
    assertThat(
            problemsOf(
                withExtract(
                    EXTRACT + "    result: {type: partitions, url: \"https://h/${partition}\"}\n")))
        .anyMatch(p -> p.contains("count"))
        .anyMatch(p -> p.startsWith("source.extract.url: not used when extract.result.type is"));
    assertThat(problemsOf(withExtract("  extract:\n    result: {type: urls, maxParallel: 0}\n")))
        .anyMatch(p -> p.contains("pointer"))
        .anyMatch(p -> p.contains("maxParallel"));
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
