package dev.sluice.activities.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.RunKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts of a split window: staged in directories of the run's staging, published flat into
 * the table under their own names, and replaced like any file of the run by a later run of the
 * window.
 */
class SplitPartsPublishTest {
  private static final String RUN = "ingest_meta_2026-11-25T00-00-00Z";
  private static final String FIRST = "split-2026-11-21T00-00-00Z-2026-11-23T00-00-00Z";
  private static final String SECOND = "split-2026-11-23T00-00-00Z-2026-11-25T00-00-00Z";

  @TempDir Path dir;
  private final ParquetSinkActivitiesImpl activities =
      new ParquetSinkActivitiesImpl(new HadoopFiles(HadoopFiles.defaultConfiguration()));

  @Test
  void givenPartsInStagingDirectories_whenPublished_thenFlatInTheTableAndReplacedByARerun()
      throws IOException {
    String a = FIRST + "/" + PartFiles.name(RUN + "-" + FIRST, 0);
    String b = SECOND + "/" + PartFiles.name(RUN + "-" + SECOND, 0);
    stage(a, "first half");
    stage(b, "second half");
    Files.createDirectories(table());
    Files.writeString(table().resolve("part-ingest_meta_2026-11-18T00-00-00Z-00000.parquet"), "x");

    PublishResult result = activities.publish(publish(List.of(a, b)));

    assertThat(dataFiles())
        .containsExactlyInAnyOrder(
            "part-ingest_meta_2026-11-18T00-00-00Z-00000.parquet",
            PartFiles.name(RUN + "-" + FIRST, 0),
            PartFiles.name(RUN + "-" + SECOND, 0));
    assertThat(result.files())
        .containsExactly(
            tableUri() + "/" + PartFiles.name(RUN + "-" + FIRST, 0),
            tableUri() + "/" + PartFiles.name(RUN + "-" + SECOND, 0));
    assertThat(result.bytes()).isEqualTo("first half".length() + "second half".length());

    // The window again, not split: the parts are the run's files and go; other windows' stay.
    String whole = PartFiles.name(RUN, 0);
    stage(whole, "whole");
    activities.publish(publish(List.of(whole)));

    assertThat(dataFiles())
        .containsExactlyInAnyOrder("part-ingest_meta_2026-11-18T00-00-00Z-00000.parquet", whole);
  }

  @Test
  void givenSplitNames_whenMatchedToRuns_thenTheRunsOwnOnly() {
    assertThat(PartFiles.ofRun(RUN, PartFiles.name(RUN + "-" + FIRST, 3))).isTrue();
    assertThat(PartFiles.ofRun(RUN, PartFiles.name(RUN, 3))).isTrue();
    assertThat(PartFiles.ofRun(RUN, PartFiles.name(RUN + "-other", 3))).isFalse();
    assertThat(PartFiles.ofRun(RUN, "part-" + RUN + "-split-x.parquet")).isFalse();
  }

  private ParquetSink sink() {
    return new ParquetSink(tableUri(), "append", null, null, null, null);
  }

  private PublishRequest publish(List<String> files) {
    return new PublishRequest(
        RUN, sink(), RunKeys.staging(sink(), RUN), files, null, null, null, null, files.size());
  }

  private void stage(String name, String content) throws IOException {
    Path file = Path.of(java.net.URI.create(RunKeys.staging(sink(), RUN))).resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private Path table() {
    return dir.resolve("table");
  }

  private String tableUri() {
    return table().toUri().toString().replaceAll("/$", "");
  }

  private List<String> dataFiles() throws IOException {
    try (Stream<Path> paths = Files.list(table())) {
      return paths
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".parquet"))
          .toList();
    }
  }
}
