package dev.sluice.activities.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.FilesSource;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesResult;
import dev.sluice.workflows.filedownload.FileDownloadMessages.ListFilesRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.ListFilesResult;
import dev.sluice.workflows.filedownload.FileDownloadPaths;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing and downloading a {@code file://} prefix with patterns, as a worker would. */
class PrefixFileDownloadTest {
  private static final String RUN_KEY = "ingest_drop_2026-11-22";

  @TempDir Path in;
  @TempDir Path lake;
  private DownloadEnvironment env;

  @BeforeEach
  void setUp() throws Exception {
    env = new DownloadEnvironment(Map.of());
    write("a.csv", "id\n1\n");
    write("sub/b.csv", "id\n2\n3\n");
    write("sub/deeper/c.json", "{\"id\":4}\n");
    write("_hidden/x.csv", "not listed\n");
    write(".partial.csv", "not listed\n");
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private void write(String name, String content) throws Exception {
    Path p = in.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2026-11-20T10:00:00Z")));
  }

  private FilesSource source(String pattern, Boolean recursive) {
    return new FilesSource(null, null, in.toUri().toString(), pattern, recursive, null, null, null);
  }

  private String landing() {
    return lake.toUri().toString();
  }

  private List<String> listedNames(FilesSource source) throws Exception {
    ListFilesResult result =
        env.list(
            new ListFilesRequest(source, FileDownloadPaths.listing(landing(), RUN_KEY), Map.of()));
    List<String> lines = Files.readAllLines(lake.resolve("_sluice/listings/" + RUN_KEY + ".jsonl"));
    assertThat(lines).hasSize(result.files());
    return lines.stream().map(l -> l.replaceAll(".*\"name\":\"([^\"]*)\".*", "$1")).toList();
  }

  private DownloadFilesResult download(FilesSource source, int files) {
    return env.download(
        new DownloadFilesRequest(
            source,
            FileDownloadPaths.listing(landing(), RUN_KEY),
            0,
            files,
            landing(),
            FileDownloadPaths.incoming(landing(), RUN_KEY),
            Map.of()));
  }

  @Test
  void givenPatterns_whenListed_thenMatchingFilesInPathOrderAndHiddenOnesNever() throws Exception {
    assertThat(listedNames(source(null, null)))
        .containsExactly("a.csv", "sub/b.csv", "sub/deeper/c.json");
    assertThat(listedNames(source("**.csv", null))).containsExactly("a.csv", "sub/b.csv");
    assertThat(listedNames(source("*.csv", null))).containsExactly("a.csv");
    assertThat(listedNames(source(null, false))).containsExactly("a.csv");
    assertThat(listedNames(source("regex:sub/.*", null)))
        .containsExactly("sub/b.csv", "sub/deeper/c.json");
  }

  @Test
  void givenAPrefix_whenDownloadedTwiceWithOneFileChangedBetween_thenOnlyThatOneIsCopiedAgain()
      throws Exception {
    FilesSource all = source(null, null);
    listedNames(all);
    DownloadFilesResult first = download(all, 3);
    Files.writeString(in.resolve("sub/b.csv"), "id\n2\n3\n5\n");

    listedNames(all);
    DownloadFilesResult second = download(all, 3);

    assertThat(first.downloaded()).isEqualTo(3);
    assertThat(first.bytes()).isEqualTo(5 + 7 + 9);
    assertThat(second.downloaded()).isEqualTo(1);
    assertThat(second.skipped()).isEqualTo(2);
    assertThat(Files.readString(lake.resolve("sub/b.csv"), StandardCharsets.UTF_8))
        .isEqualTo("id\n2\n3\n5\n");
    assertThat(Files.readString(lake.resolve("_sluice/landed/a.csv.json")))
        .contains("\"modified\":\"2026-11-20T10:00:00Z\"")
        .contains("\"size\":5");
  }

  @Test
  void givenAPrefixThatDoesNotExist_whenListed_thenSourceFileMissingNamesIt() {
    FilesSource missing =
        new FilesSource(
            null, null, in.resolve("nope").toUri().toString(), null, null, null, null, null);

    assertThatThrownBy(
            () ->
                env.list(
                    new ListFilesRequest(
                        missing, FileDownloadPaths.listing(landing(), RUN_KEY), Map.of())))
        .isInstanceOfSatisfying(
            ActivityFailure.class,
            e -> {
              ApplicationFailure cause = (ApplicationFailure) e.getCause();
              assertThat(cause.getType()).isEqualTo(FailureType.FILE_NOT_FOUND.type());
              assertThat(cause.isNonRetryable()).isTrue();
              assertThat(cause.getOriginalMessage()).endsWith("/nope does not exist");
            });
  }
}
