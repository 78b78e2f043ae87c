package dev.sluice.activities.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.AuthSpec;
import dev.sluice.pipeline.FileListingSpec;
import dev.sluice.pipeline.FileListingSpec.FileFieldsSpec;
import dev.sluice.pipeline.FilesSource;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.sandbox.files.FileShareEmulator;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesResult;
import dev.sluice.workflows.filedownload.FileDownloadMessages.ListFilesRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.ListFilesResult;
import dev.sluice.workflows.filedownload.FileDownloadPaths;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listing and download activities against the sandbox's file share over loopback: eight CSV
 * files listed three to a page, with sizes, MD5 (hex) or SHA-256 (base64) and modification times.
 */
class HttpFileDownloadTest {
  private static final String RUN_KEY = "ingest_reports_2026-11-22T00-00-00Z";
  private static final Map<String, String> VARS =
      Map.of("pipeline", "reports", "logicalDate", "2026-11-22T00:00:00Z");

  @TempDir Path lake;
  private SandboxServer sandbox;
  private FileShareEmulator share;
  private DownloadEnvironment env;

  @BeforeEach
  void start() {
    sandbox = SandboxServer.start(SandboxConfig.defaults());
    share = sandbox.files();
    env = new DownloadEnvironment(Map.of("SHARE_TOKEN", "s3cr3t"));
  }

  @AfterEach
  void stop() {
    env.close();
    sandbox.close();
  }

  private FilesSource source(String checksumPointer, String algorithm, AuthSpec auth) {
    return new FilesSource(
        auth,
        new FileListingSpec(
            null,
            sandbox.baseUrl() + "/files/listing?pageSize=3",
            null,
            null,
            "/files",
            new FileFieldsSpec(null, null, null, checksumPointer, null),
            algorithm,
            "/next"),
        null,
        null,
        null,
        null,
        null,
        null);
  }

  private FilesSource md5Source() {
    return source("/md5", "md5", null);
  }

  private String landing() {
    return lake.toUri().toString();
  }

  private ListFilesResult list(FilesSource source) {
    return env.list(
        new ListFilesRequest(source, FileDownloadPaths.listing(landing(), RUN_KEY), VARS));
  }

  private DownloadFilesResult download(FilesSource source, int from, int to) {
    return env.download(
        new DownloadFilesRequest(
            source,
            FileDownloadPaths.listing(landing(), RUN_KEY),
            from,
            to,
            landing(),
            FileDownloadPaths.incoming(landing(), RUN_KEY),
            VARS));
  }

  private void assertLandedExactly(String name) throws Exception {
    assertThat(Files.readAllBytes(lake.resolve(name))).isEqualTo(share.content(name));
  }

  /** Every file under the lake's data part (not _sluice), as relative paths. */
  private List<String> dataFiles() throws Exception {
    try (Stream<Path> walk = Files.walk(lake)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> lake.relativize(p).toString())
          .filter(p -> !p.startsWith("_sluice"))
          .sorted()
          .toList();
    }
  }

  @Test
  void givenAPagedListing_whenListedThenDownloaded_thenEveryFileLandsByteForByteWithManifest()
      throws Exception {
    ListFilesResult listed = list(md5Source());
    DownloadFilesResult result = download(md5Source(), 0, 8);

    assertThat(listed.files()).isEqualTo(8);
    assertThat(listed.pages()).isEqualTo(3);
    List<String> lines = Files.readAllLines(lake.resolve("_sluice/listings/" + RUN_KEY + ".jsonl"));
    assertThat(lines).hasSize(8);
    assertThat(lines.get(0))
        .contains("\"index\":0")
        .contains("\"name\":\"reports/day-01.csv\"")
        .contains("\"location\":\"" + sandbox.baseUrl() + "/files/content/reports/day-01.csv\"")
        .contains("\"algorithm\":\"md5\"")
        .contains("\"modified\":\"2026-11-01T00:00:00Z\"");
    assertThat(result.downloaded()).isEqualTo(8);
    assertThat(result.failures()).isEmpty();
    long total = 0;
    for (String name : share.names()) {
      assertLandedExactly(name);
      total += share.content(name).length;
      assertThat(lake.resolve("_sluice/landed/" + name + ".json")).exists();
    }
    assertThat(result.bytes()).isEqualTo(total);
    assertThat(dataFiles()).containsExactlyElementsOf(share.names());
    // No part file is left behind once a file has landed.
    assertThat(lake.resolve("_sluice/incoming/" + RUN_KEY)).isEmptyDirectory();
  }

  @Test
  void givenFilesLandedBefore_whenDownloadedAgain_thenUnchangedSkippedAndTouchedFetched()
      throws Exception {
    list(md5Source());
    download(md5Source(), 0, 8);
    share.touch("reports/day-03.csv");

    list(md5Source());
    DownloadFilesResult again = download(md5Source(), 0, 8);

    assertThat(again.skipped()).isEqualTo(7);
    assertThat(again.downloaded()).isEqualTo(1);
    assertThat(share.downloads("reports/day-01.csv")).isEqualTo(1);
    assertThat(share.downloads("reports/day-03.csv")).isEqualTo(2);
    assertLandedExactly("reports/day-03.csv");
  }

  @Test
  void givenALandedFileDeletedByHand_whenDownloadedAgain_thenItIsFetchedDespiteItsManifest()
      throws Exception {
    list(md5Source());
    download(md5Source(), 0, 8);
    Files.delete(lake.resolve("reports/day-05.csv"));

    DownloadFilesResult again = download(md5Source(), 0, 8);

    assertThat(again.downloaded()).isEqualTo(1);
    assertLandedExactly("reports/day-05.csv");
  }

  @Test
  void givenOneCorruptDownload_whenDownloaded_thenFetchedAgainAtOnceAndLands() throws Exception {
    share.corruptOnce("reports/day-02.csv", 1);
    list(md5Source());

    DownloadFilesResult result = download(md5Source(), 0, 8);

    assertThat(result.failures()).isEmpty();
    assertThat(result.downloaded()).isEqualTo(8);
    assertThat(share.downloads("reports/day-02.csv")).isEqualTo(2);
    assertLandedExactly("reports/day-02.csv");
  }

  @Test
  void givenTwoCorruptDownloadsOfABase64Sha256_whenDownloaded_thenReportedWithExpectedAndActual()
      throws Exception {
    FilesSource sha = source("/sha256", "sha-256", null);
    share.corruptOnce("reports/day-04.csv", 2);
    list(sha);

    DownloadFilesResult result = download(sha, 0, 8);

    assertThat(result.downloaded()).isEqualTo(7);
    assertThat(result.failures()).hasSize(1);
    var failure = result.failures().get(0);
    assertThat(failure.index()).isEqualTo(3);
    assertThat(failure.name()).isEqualTo("reports/day-04.csv");
    assertThat(failure.type()).isEqualTo(FailureType.CHECKSUM_MISMATCH.type());
    String expected =
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(share.content("reports/day-04.csv")));
    assertThat(failure.message())
        .startsWith(
            "reports/day-04.csv: sha-256 checksum mismatch, expected " + expected + ", got ")
        .doesNotEndWith(expected);
    // Neither the corrupt bytes nor a part file are visible.
    assertThat(lake.resolve("reports/day-04.csv")).doesNotExist();
    assertThat(lake.resolve("_sluice/landed/reports/day-04.csv.json")).doesNotExist();
    assertThat(lake.resolve("_sluice/incoming/" + RUN_KEY + "/3.part")).doesNotExist();
  }

  @Test
  void givenAConnectionCutMidFile_whenTheAttemptFailsAndIsRetried_thenTheFileLandsOnceWhole()
      throws Exception {
    // What a worker dying mid-file leaves behind, proven in-process: an attempt that stops in the
    // middle of a file (here the connection is cut), then a retry resuming from its heartbeat.
    share.dropMidFile("reports/day-06.csv", 1);
    list(md5Source());

    assertThatThrownBy(() -> download(md5Source(), 0, 8))
        .isInstanceOfSatisfying(
            ActivityFailure.class,
            e -> {
              ApplicationFailure cause = (ApplicationFailure) e.getCause();
              assertThat(cause.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
              assertThat(cause.isNonRetryable()).isFalse();
              assertThat(cause.getOriginalMessage())
                  .startsWith("GET " + sandbox.baseUrl() + "/files/content/reports/day-06.csv")
                  .contains("broke off after")
                  .contains("of reports/day-06.csv");
            });
    // The half file is only a part file under _sluice: nothing partial is visible.
    assertThat(lake.resolve("reports/day-06.csv")).doesNotExist();
    assertThat(lake.resolve("_sluice/incoming/" + RUN_KEY + "/5.part")).exists();
    // The server keeps whichever heartbeat got through (the SDK throttles them): here the first,
    // taken after file 0. Resuming from a checkpoint older than the last landed file is safe: the
    // files landed since are found by their manifests and skipped, not fetched again.
    RangeCheckpoint stale = env.heartbeats.get(0);
    assertThat(stale.next()).isEqualTo(1);

    env.resumeFrom(stale);
    DownloadFilesResult retry = download(md5Source(), 0, 8);

    assertThat(retry.failures()).isEmpty();
    assertThat(retry.downloaded() + retry.skipped()).isEqualTo(8);
    assertThat(retry.skipped()).isEqualTo(4); // files 1..4, landed by the first attempt
    for (String name : share.names()) {
      assertLandedExactly(name);
      // Files landed before the cut were not fetched again; the cut one twice.
      assertThat(share.downloads(name)).isEqualTo(name.equals("reports/day-06.csv") ? 2 : 1);
    }
    assertThat(dataFiles()).containsExactlyElementsOf(share.names());
  }

  @Test
  void givenABearerProtectedShare_whenTheSourceNamesTheTokenByReference_thenListsAndDownloads()
      throws Exception {
    share.requireBearer("s3cr3t");
    FilesSource withToken =
        source(
            "/md5",
            "md5",
            new AuthSpec.Bearer("${env:SHARE_TOKEN}"));

    list(withToken);
    DownloadFilesResult result = download(withToken, 0, 2);

    assertThat(result.downloaded()).isEqualTo(2);
    assertLandedExactly("reports/day-02.csv");
    assertThatThrownBy(() -> list(md5Source()))
        .isInstanceOfSatisfying(
            ActivityFailure.class,
            e ->
                assertThat(((ApplicationFailure) e.getCause()).getType())
                    .isEqualTo(FailureType.AUTH_FAILED.type()));
  }

  @Test
  void givenAListingWithoutEntriesWhereTheSourceSays_whenListed_thenInvalidPipelineNamesIt() {
    FilesSource wrong =
        new FilesSource(
            null,
            new FileListingSpec(
                null, sandbox.baseUrl() + "/files/listing", null, null, "/items", null, null, null),
            null,
            null,
            null,
            null,
            null,
            null);

    assertThatThrownBy(() -> list(wrong))
        .isInstanceOfSatisfying(
            ActivityFailure.class,
            e -> {
              ApplicationFailure cause = (ApplicationFailure) e.getCause();
              assertThat(cause.getType()).isEqualTo(FailureType.INVALID_PIPELINE.type());
              assertThat(cause.getOriginalMessage())
                  .isEqualTo(
                      "listing page "
                          + sandbox.baseUrl()
                          + "/files/listing has no array at source.listing.entries (/items)");
            });
  }
}
