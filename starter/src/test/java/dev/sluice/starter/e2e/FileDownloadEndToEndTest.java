package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.files.FileShareEmulator;
import dev.sluice.starter.dev.DevEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice run} of the example {@code files-share-reports.yaml} on the embedded stack: the
 * sandbox's file share (eight CSV files, listed three to a page) downloaded into a local lake by
 * the real worker. Each test lands in a directory of its own.
 */
class FileDownloadEndToEndTest {
  static final String QUEUE = "e2e-files";
  static DevEnvironment dev;

  @TempDir static Path work;

  @BeforeAll
  static void startStack() {
    dev = DevEnvironment.start(0, SandboxConfig.defaults(), QUEUE);
  }

  @AfterAll
  static void stopStack() {
    dev.close();
  }

  static FileShareEmulator share() {
    return dev.sandbox().files();
  }

  /** The example, copied into {@code dir}: its files land in {@code dir/out/share-reports}. */
  static Path examplePipeline(Path dir) throws IOException {
    String yaml = Files.readString(Path.of("../examples/files-share-reports.yaml"));
    assertThat(yaml).contains("path: out/share-reports");
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve("reports.yaml"), yaml);
  }

  static Cli run(Path pipeline, String logicalDate) {
    return Cli.run(
        "run",
        pipeline.toString(),
        "--wait",
        "--logical-date",
        logicalDate,
        "--address",
        dev.temporal().address(),
        "--task-queue",
        QUEUE);
  }

  static List<String> dataFiles(Path lake) throws IOException {
    try (Stream<Path> walk = Files.walk(lake)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> lake.relativize(p).toString())
          .filter(p -> !p.startsWith("_sluice"))
          .sorted()
          .toList();
    }
  }

  static void assertLandedWhole(Path lake) throws IOException {
    assertThat(dataFiles(lake)).containsExactlyElementsOf(share().names());
    for (String name : share().names()) {
      assertThat(Files.readAllBytes(lake.resolve(name))).as(name).isEqualTo(share().content(name));
    }
  }

  @Test
  void givenTheShare_whenRunTwice_thenFirstRunLandsEveryFileAndSecondSkipsThemAll()
      throws Exception {
    Path pipeline = examplePipeline(work.resolve("twice"));
    Path lake = work.resolve("twice/out/share-reports");
    int before = share().downloads("reports/day-01.csv");

    Cli first = run(pipeline, "2026-11-21");
    Cli second = run(pipeline, "2026-11-22");

    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    assertThat(first.out())
        .contains("run ingest/share-reports/2026-11-21 succeeded")
        .contains("listed        8 files (" + lake.toUri().toString().replaceAll("/$", ""))
        .contains("/_sluice/listings/ingest_share-reports_2026-11-21.jsonl)")
        .contains("downloaded    8 (")
        .contains("skipped       0 already landed");
    assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
    assertThat(second.out())
        .contains("downloaded    0 (0 B)")
        .contains("skipped       8 already landed with the same size and time");
    assertLandedWhole(lake);
    assertThat(share().downloads("reports/day-01.csv")).isEqualTo(before + 1);
    // Both runs' staging lists are kept beside the lake; no part file is left.
    assertThat(lake.resolve("_sluice/listings/ingest_share-reports_2026-11-22.jsonl")).exists();
    assertThat(lake.resolve("_sluice/incoming")).isEmptyDirectory();
  }

  @Test
  void givenAFileWhoseChecksumNeverMatches_whenRun_thenOthersLandAndRunFailsNamingIt()
      throws Exception {
    Path pipeline = examplePipeline(work.resolve("mismatch"));
    Path lake = work.resolve("mismatch/out/share-reports");
    share().corruptOnce("reports/day-07.csv", 2);

    Cli run = run(pipeline, "2026-11-23");

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err())
        .contains("run ingest/share-reports/2026-11-23 failed: 1 of 8 files did not land in")
        .contains("(7 downloaded, 0 already there)")
        .contains("reports/day-07.csv: md5 checksum mismatch, expected ")
        .contains(", got ");
    assertThat(dataFiles(lake)).hasSize(7).doesNotContain("reports/day-07.csv");

    // The source is fixed: the next run fetches only the missing file.
    Cli again = run(pipeline, "2026-11-24");

    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
    assertThat(again.out()).contains("downloaded    1 (").contains("skipped       7");
    assertLandedWhole(lake);
  }

  @Test
  void givenAFilesPipeline_whenReplayed_thenRefusedBeforeAnythingStarts() throws Exception {
    Path pipeline = examplePipeline(work.resolve("replay"));

    Cli replay =
        Cli.run(
            "replay",
            pipeline.toString(),
            "--from",
            "2026-11-01T00:00:00Z",
            "--to",
            "2026-11-03T00:00:00Z",
            "--address",
            dev.temporal().address(),
            "--task-queue",
            QUEUE);

    assertThat(replay.exitCode()).isEqualTo(2);
    assertThat(replay.err())
        .contains("reports.yaml: a files source has no windows to replay; run it again");
    assertThat(work.resolve("replay/out")).doesNotExist();
  }

  @Test
  void givenTheConnectionCutMidFile_whenRun_thenTheRetryLandsTheFileOnceAndWhole()
      throws Exception {
    Path pipeline = examplePipeline(work.resolve("cut"));
    Path lake = work.resolve("cut/out/share-reports");
    int before = share().downloads("reports/day-05.csv");
    share().dropMidFile("reports/day-05.csv", 1);

    Cli run = run(pipeline, "2026-11-25");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("listed        8 files");
    assertLandedWhole(lake);
    // Cut once, fetched again by the activity's retry (LONG_TRANSFER: 2s later).
    assertThat(share().downloads("reports/day-05.csv")).isEqualTo(before + 2);
  }
}
