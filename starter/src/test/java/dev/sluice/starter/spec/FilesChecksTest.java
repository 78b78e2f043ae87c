package dev.sluice.starter.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.FilesSink;
import dev.sluice.pipeline.FilesSource;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules for the {@code files} source and sink, through the loader (schema and semantic checks
 * together, as {@code sluice validate} runs them).
 */
class FilesChecksTest {
  private static final String LISTING =
      """
      name: reports
      source:
        type: files
        listing:
          url: https://share.example.com/files?day=${logicalDate}
          fields:
            checksum: /md5
          nextPage: /next
      sink:
        type: files
        path: out/reports
      """;

  private static final String PREFIX =
      """
      name: drop
      source:
        type: files
        prefix: in/drop
        pattern: "**.csv"
      sink:
        type: files
        path: hdfs://namenode:8020/lake/drop
      """;

  private final PipelineLoader loader = new PipelineLoader();

  private List<String> problemsOf(String yaml) {
    return Fixtures.problemsOf(loader, yaml);
  }

  @Test
  void givenAListingPipeline_whenLoaded_thenDefaultsAppliedAndTheSinkPathResolved()
      throws Exception {
    var spec = loader.load(LISTING, "reports.yaml", Path.of("/pipelines")).spec();

    FilesSource source = (FilesSource) spec.source();
    assertThat(source.listing().entries()).isEqualTo("/files");
    assertThat(source.listing().fields().url()).isEqualTo("/url");
    assertThat(source.listing().fields().checksum()).isEqualTo("/md5");
    assertThat(source.listing().checksumAlgorithm()).isEqualTo("md5");
    assertThat(source.maxParallel()).isEqualTo(4);
    assertThat(((FilesSink) spec.sink()).path()).isEqualTo("file:///pipelines/out/reports");
  }

  @Test
  void givenAPrefixPipeline_whenLoaded_thenTheRelativePrefixIsResolvedLikeASinkPath()
      throws Exception {
    var spec = loader.load(PREFIX, "drop.yaml", Path.of("/pipelines")).spec();

    assertThat(((FilesSource) spec.source()).prefix()).isEqualTo("file:///pipelines/in/drop");
    assertThat(((FilesSink) spec.sink()).path()).isEqualTo("hdfs://namenode:8020/lake/drop");
  }

  @Test
  void givenBothOrNeitherListingAndPrefix_whenLoaded_thenSaysToChooseOne() {
    assertThat(problemsOf(LISTING.replace("  listing:", "  prefix: in/x\n  listing:")))
        .containsExactly(
            "source.prefix: a files source lists either an HTTP endpoint (listing) or a"
                + " directory (prefix), not both: remove one");
    assertThat(problemsOf(PREFIX.replace("  prefix: in/drop\n", "")))
        .containsExactly(
            "source: a files source needs listing (an HTTP listing endpoint) or prefix (a"
                + " directory URI) to list its files");
  }

  @Test
  void givenAFilesSourceWithAParquetSinkOrRowsOptions_whenLoaded_thenEachIsNamed() {
    String yaml =
        LISTING.replace("  type: files\n  path: out/reports", "  type: parquet\n  path: out/x")
            + "incremental:\n  column: id\n  initial: '0'\n";

    assertThat(problemsOf(yaml))
        .containsExactly(
            "sink.type: a files source lands files byte for byte: use a files sink (type: files,"
                + " path: <directory>)",
            "incremental: a files source keeps no watermark: files already landed with the same"
                + " size and modification time are skipped; remove the 'incremental' section");
  }

  @Test
  void givenAPatternThatDoesNotCompileOrOnAListing_whenLoaded_thenPathAndReasonGiven() {
    assertThat(problemsOf(PREFIX.replace("\"**.csv\"", "\"[a-\"")))
        .singleElement()
        .asString()
        .startsWith("source.pattern: does not compile: ");
    assertThat(problemsOf(LISTING.replace("  listing:", "  pattern: '*.csv'\n  listing:")))
        .containsExactly(
            "source.pattern: applies to a prefix listing only; filter an HTTP listing on its side");
  }

  @Test
  void givenAListingTemplateWithAVariableNoListingHas_whenLoaded_thenRejected() {
    assertThat(problemsOf(LISTING.replace("${logicalDate}", "${requestId}")))
        .singleElement()
        .asString()
        .startsWith("source.listing.url: ${requestId} ");
  }

  @Test
  void givenALiteralBearerToken_whenLoaded_thenRejectedAsForEverySource() {
    String yaml =
        LISTING.replace("  listing:", "  auth:\n    type: bearer\n    token: abc\n  listing:");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.auth.token: must be a secret reference such as ${env:NAME} or"
                + " ${file:/path}, not the secret itself (pipeline definitions are stored in"
                + " workflow history)");
  }

  @Test
  void givenAFilesSinkUnderAnotherSource_whenLoaded_thenTheSinkSaysWhatItTakes() {
    String yaml =
        Fixtures.read("platform-minimal.yaml")
            .replaceAll("(?s)sink:.*", "sink:\n  type: files\n  path: out/x\n");

    assertThat(problemsOf(yaml))
        .contains(
            "sink.type: a files sink lands the files of a files source; a platform-batches"
                + " source lands rows: use a parquet sink");
  }

  @Test
  void givenAnSftpPrefixWithReferencedSecrets_whenLoaded_thenAcceptedAndKeptAsWritten()
      throws Exception {
    String yaml =
        PREFIX.replace(
            "prefix: in/drop",
            "prefix: sftp://loader@files.example.com:2222/out\n"
                + "  sftp:\n"
                + "    password: ${env:SFTP_PASSWORD}\n"
                + "    knownHosts: ${file:/run/secrets/known_hosts}");

    assertThat(problemsOf(yaml)).isEmpty();
    FilesSource source =
        (FilesSource) loader.load(yaml, "drop.yaml", Path.of("/pipelines")).spec().source();
    assertThat(source.prefix()).isEqualTo("sftp://loader@files.example.com:2222/out");
    assertThat(source.sftp().password()).isEqualTo("${env:SFTP_PASSWORD}");
    assertThat(source.sftp().insecureAcceptAnyHostKey()).isFalse();
  }

  @Test
  void givenAnSftpPrefixWithALiteralPassword_whenLoaded_thenRejectedAsNotAReference() {
    String yaml =
        PREFIX.replace(
            "prefix: in/drop",
            "prefix: sftp://loader@host/drop\n"
                + "  sftp:\n"
                + "    password: hunter2\n"
                + "    insecureAcceptAnyHostKey: true");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.sftp.password: must be a secret reference such as ${env:NAME} or"
                + " ${file:/path}, not the secret itself (pipeline definitions are stored in"
                + " workflow history)");
  }

  @Test
  void givenAnSftpPrefixWithoutUserOrLogin_whenLoaded_thenBothAreAskedFor() {
    assertThat(problemsOf(PREFIX.replace("in/drop", "sftp://host/drop")))
        .containsExactlyInAnyOrder(
            "source.prefix: an sftp prefix needs a user and a host: sftp://user@host/path",
            "source.sftp: an sftp prefix needs sftp: {password or privateKey, knownHosts} to log"
                + " in");
  }

  @Test
  void givenAnSftpPrefixWithoutAHostKeyCheck_whenLoaded_thenKnownHostsIsAskedFor() {
    String yaml =
        PREFIX.replace(
            "prefix: in/drop",
            "prefix: sftp://loader@host/drop\n  sftp:\n    password: ${env:SFTP_PASSWORD}");

    assertThat(problemsOf(yaml))
        .singleElement()
        .asString()
        .startsWith("source.sftp: give knownHosts");
  }
}
