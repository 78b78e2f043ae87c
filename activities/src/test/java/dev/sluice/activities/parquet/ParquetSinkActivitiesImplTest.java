package dev.sluice.activities.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.DiscardRequest;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.Messages.WatermarkRequest;
import dev.sluice.workflows.activities.RunKeys;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetSinkActivitiesImplTest {
  private static final String RUN = "ingest_t_2026-01-02";

  @TempDir Path dir;
  private final ParquetSinkActivitiesImpl activities =
      new ParquetSinkActivitiesImpl(new HadoopFiles(HadoopFiles.defaultConfiguration()));
  private Path table;

  @BeforeEach
  void createTable() {
    table = dir.resolve("table");
  }

  @Test
  void givenSameRunPublishedTwice_whenAppending_thenItsFilesAreOverwrittenNotDuplicated()
      throws IOException {
    Files.createDirectories(table);
    Files.writeString(table.resolve("part-earlier-run-00000.parquet"), "earlier");
    stage(RUN, "v1", 0, 1);
    activities.publish(publish("append", RUN, 2, null));

    stage(RUN, "v2", 0);
    PublishResult result = activities.publish(publish("append", RUN, 1, null));

    assertThat(dataFiles())
        .containsExactlyInAnyOrder("part-earlier-run-00000.parquet", part(RUN, 0));
    assertThat(Files.readString(table.resolve(part(RUN, 0)))).isEqualTo("v2");
    assertThat(result.files()).containsExactly(tableUri() + "/" + part(RUN, 0));
    assertThat(result.bytes()).isEqualTo(2);
    assertThat(result.tableUri()).isEqualTo(tableUri());
    assertThat(Files.exists(Path.of(java.net.URI.create(staging(RUN))))).isFalse();
  }

  @Test
  void givenPublishCrashedMidway_whenRetried_thenMovedFilesCountAsPublished() throws IOException {
    stage(RUN, "data", 0, 1);
    Files.createDirectories(table);
    Files.move(stagedPath(RUN, 0), table.resolve(part(RUN, 0)));

    PublishResult result = activities.publish(publish("append", RUN, 2, "2026-01-02T00:00:00Z"));

    assertThat(dataFiles()).containsExactlyInAnyOrder(part(RUN, 0), part(RUN, 1));
    assertThat(result.bytes()).isEqualTo(8);
  }

  @Test
  void givenOldSnapshot_whenSnapshotPublished_thenOnlyNewFilesRemainAndStateSurvives()
      throws IOException {
    stage("old-run", "old", 0, 1, 2);
    activities.publish(publish("snapshot", "old-run", 3, "2026-01-01T00:00:00Z"));
    Files.writeString(table.resolve("readme.txt"), "not data");

    stage(RUN, "new", 0);
    activities.publish(publish("snapshot", RUN, 1, "2026-01-02T00:00:00Z"));

    assertThat(dataFiles()).containsExactly(part(RUN, 0));
    assertThat(table.resolve("readme.txt")).exists();
    assertThat(Files.readString(table.resolve("_sluice/watermark.json")))
        .contains("\"value\":\"2026-01-02T00:00:00Z\"")
        .contains("\"publishedBy\":\"" + RUN + "\"")
        .contains("\"column\":\"modified\"");
    assertThat(activities.readWatermark(new WatermarkRequest(sink("snapshot"))).watermark())
        .isEqualTo("2026-01-02T00:00:00Z");
  }

  @Test
  void givenNoWatermarkYet_whenRead_thenNull() {
    assertThat(activities.readWatermark(new WatermarkRequest(sink("append"))).watermark()).isNull();
  }

  @Test
  void givenStagedFileGoneAndNotPublished_whenPublished_thenNonRetryableFailure()
      throws IOException {
    Files.createDirectories(Path.of(java.net.URI.create(staging(RUN))));

    assertThatThrownBy(() -> activities.publish(publish("append", RUN, 1, null)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getType()).isEqualTo(StagedFileMissingException.FAILURE_TYPE);
              assertThat(f.getOriginalMessage()).contains(part(RUN, 0));
            });
  }

  @Test
  void givenUnsupportedScheme_whenReadingWatermark_thenNonRetryableInvalidPipeline() {
    ParquetSink sink = new ParquetSink("nosuchfs://bucket/table", null, null, null, null, null);

    assertThatThrownBy(() -> activities.readWatermark(new WatermarkRequest(sink)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getType()).isEqualTo(FailureType.INVALID_PIPELINE.type());
              assertThat(f.getOriginalMessage()).contains("nosuchfs://bucket/table");
            });
  }

  @Test
  void givenUnknownMode_whenPublished_thenNonRetryableInvalidPipeline() {
    assertThatThrownBy(() -> activities.publish(publish("merge", RUN, 0, null)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureType.INVALID_PIPELINE.type()));
  }

  @Test
  void givenStaging_whenDiscardedTwice_thenDeletedOnceAndSecondCallReportsAbsent()
      throws IOException {
    stage(RUN, "x", 0);
    DiscardRequest request = new DiscardRequest(sink("append"), staging(RUN));

    assertThat(activities.discardStaging(request).existed()).isTrue();
    assertThat(activities.discardStaging(request).existed()).isFalse();
    assertThat(Path.of(java.net.URI.create(staging(RUN)))).doesNotExist();
  }

  private PublishRequest publish(String mode, String runKey, int files, String watermark) {
    List<String> names =
        Stream.iterate(0, i -> i + 1).limit(files).map(i -> part(runKey, i)).toList();
    return new PublishRequest(runKey, sink(mode), staging(runKey), names, "modified", watermark);
  }

  private ParquetSink sink(String mode) {
    return new ParquetSink(tableUri(), mode, null, null, null, null);
  }

  private String tableUri() {
    return table.toUri().toString().replaceAll("/$", "");
  }

  private String staging(String runKey) {
    return RunKeys.staging(sink("append"), runKey);
  }

  private void stage(String runKey, String content, int... seqs) throws IOException {
    for (int seq : seqs) {
      Files.createDirectories(stagedPath(runKey, seq).getParent());
      Files.writeString(stagedPath(runKey, seq), content);
    }
  }

  private Path stagedPath(String runKey, int seq) {
    return Path.of(java.net.URI.create(staging(runKey))).resolve(part(runKey, seq));
  }

  private static String part(String runKey, int seq) {
    return PartFiles.name(runKey, seq);
  }

  private List<String> dataFiles() throws IOException {
    try (Stream<Path> paths = Files.list(table)) {
      return paths
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".parquet"))
          .toList();
    }
  }
}
