package dev.sluice.activities.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.activities.iceberg.IcebergCatalogs;
import dev.sluice.activities.iceberg.SnapshotLog;
import dev.sluice.activities.parquet.ParquetSinkActivitiesImpl;
import dev.sluice.pipeline.IcebergCatalogSpec;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.sandbox.platform.ContentBatchSeed.FileSeed;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.WatermarkRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.ExtractBatchRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.ExtractBatchResult;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.WindowCommit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A platform-batches source landing in an Iceberg table, activity by activity as the platform
 * ingest drives them: batches read into the table's data folder (field IDs, partition
 * directories), committed in one snapshot, read back by Iceberg's generic reader.
 */
class PlatformToIcebergTest {
  static SourceSandbox sandbox;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    sandbox = new SourceSandbox();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @BeforeEach
  void reset() {
    sandbox.reset();
  }

  private IcebergSink sink() {
    return new IcebergSink(
        new IcebergCatalogSpec.Hadoop(dir.resolve("wh").toUri().toString()),
        "platform.events",
        "append",
        List.of("identity(optIn)"),
        null,
        null,
        null,
        null, null);
  }

  private static List<Map<String, Object>> rows(int from, int to) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(SourceSandbox.row("r" + i, 1900 + i, 10L * i, i / 4.0, i % 2 == 0));
    }
    return out;
  }

  private ExtractBatchResult extract(IcebergSink sink, String key, String batchId) {
    return sandbox.activities.extractBatch(
        new ExtractBatchRequest(
            key,
            sandbox.source(SourceSandbox.TYPED, 100),
            batchId,
            sink,
            RunKeys.staging(sink, key)));
  }

  private static List<String> ids(Table table) throws IOException {
    table.refresh();
    List<String> out = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      records.forEach(r -> out.add((String) r.getField("id")));
    }
    return out;
  }

  @Test
  void givenBatchesReadTwiceAndAPublishRetried_whenTheTableIsRead_thenOneSnapshotHoldsEveryRowOnce()
      throws IOException {
    sandbox.seed("01HB.batch_1", 1_000, FileSeed.parquet("part-0.parquet", rows(0, 6)));
    sandbox.seed("01HB.batch_2", 2_000, FileSeed.parquet("part-0.parquet", rows(6, 10)));
    IcebergSink sink = sink();
    String workflowId = "ingest/events/2024-03-02T00:00:00Z";
    String key = RunKeys.of(workflowId);
    Holder holder = new Holder(workflowId, "run-1");
    ParquetSinkActivitiesImpl publisher =
        new ParquetSinkActivitiesImpl(sandbox.files, sandbox.formats);
    publisher.openWindow(new OpenWindowRequest(sink, key, "2024-03-01/2024-03-02", holder, null));

    extract(sink, key, "01HB.batch_1");
    // A retried read of a batch replaces its own files, in every partition directory.
    ExtractBatchResult first = extract(sink, key, "01HB.batch_1");
    ExtractBatchResult second = extract(sink, key, "01HB.batch_2");
    List<String> files = new ArrayList<>(first.files());
    files.addAll(second.files());
    assertThat(files).allMatch(name -> name.startsWith("optIn=")).hasSize(4);
    WindowCommit commit =
        new WindowCommit(key, "2024-03-01/2024-03-02", holder, "run-1", "batch", null, "01HB.batch_2");
    PublishRequest publish =
        new PublishRequest(
            key, sink, RunKeys.staging(sink, key), files, "batch", "01HB.batch_2", null, commit, 10);
    publisher.publish(publish);
    // The answer was lost: the publish is retried.
    publisher.publish(publish);

    Table table = new IcebergCatalogs(sandbox.files.conf(), null).load(sink).orElseThrow();
    assertThat(ids(table))
        .containsExactlyInAnyOrderElementsOf(
            List.of("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"));
    assertThat(StreamSupport.stream(table.snapshots().spliterator(), false)).hasSize(1);
    assertThat(table.currentSnapshot().summary())
        .containsEntry(SnapshotLog.Key.RUN_KEY.key(), key)
        .containsEntry(SnapshotLog.Key.WATERMARK.key(), "01HB.batch_2")
        .containsEntry(SnapshotLog.Key.ROWS.key(), "10");
    List<Object> partitions = new ArrayList<>();
    for (DataFile file : table.currentSnapshot().addedDataFiles(table.io())) {
      partitions.add(file.partition().get(0, Boolean.class));
    }
    assertThat(partitions).containsExactlyInAnyOrder(true, false, true, false);
    assertThat(publisher.readWatermark(new WatermarkRequest(sink)).watermark())
        .isEqualTo("01HB.batch_2");
  }
}
