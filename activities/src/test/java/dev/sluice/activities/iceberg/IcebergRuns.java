package dev.sluice.activities.iceberg;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.parquet.ParquetSinkActivitiesImpl;
import dev.sluice.activities.parquet.ParquetStagingWriter;
import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.activities.parquet.TableFormats;
import dev.sluice.activities.parquet.WatermarkRange;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.WindowCommit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Runs of a pipeline against an Iceberg sink as the workflow drives them, activity by activity:
 * open the window, stage rows with the staging writer, publish. Read back with Iceberg's generic
 * reader, which shares no code with the writer.
 */
final class IcebergRuns {
  final HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());
  final IcebergCatalogs catalogs =
      new IcebergCatalogs(files.conf(), new SecretResolver(Map.of("PW", "secret")::get, "test"));
  final IcebergFormat format = new IcebergFormat(catalogs, files, Clock.systemUTC());
  final ParquetSinkActivitiesImpl activities =
      new ParquetSinkActivitiesImpl(
          files, TableFormats.of(files, Clock.systemUTC(), Map.of(IcebergSink.class, format)));

  /** One run's staged files and the publish that commits them. */
  record Staged(WriterState state, PublishRequest publish) {}

  /**
   * Stages {@code rows} (values in {@code columns} order) as Temporal run {@code runId} of window
   * {@code window} (an ISO date), claiming the window first; the watermark range is (from, to].
   */
  Staged stage(
      IcebergSink sink,
      String window,
      String runId,
      List<String> columns,
      List<Object[]> rows,
      String from,
      String to) {
    String workflowId = "ingest/p/" + window;
    String key = RunKeys.of(workflowId);
    Holder holder = new Holder(workflowId, runId);
    activities.openWindow(new OpenWindowRequest(sink, key, window, holder, "ts"));
    String staging = RunKeys.staging(sink, key);
    WriterState state;
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(
            files, sink, staging, key, "ts", WatermarkRange.all(), null, format.staging(sink, runId))) {
      writer.columns(columns);
      rows.forEach(writer::record);
      state = writer.finish();
    }
    WindowCommit commit = new WindowCommit(key, window, holder, runId, "ts", from, to);
    PublishRequest publish =
        new PublishRequest(
            key, sink, staging, state.files(), "ts", state.maxWatermark(), null, commit, state.rows());
    return new Staged(state, publish);
  }

  /** {@link #stage} then publish. */
  PublishResult run(
      IcebergSink sink, String window, String runId, List<String> columns, List<Object[]> rows) {
    return activities.publish(stage(sink, window, runId, columns, rows, null, null).publish());
  }

  Table table(IcebergSink sink) {
    return catalogs.load(sink).orElseThrow();
  }

  /** Every row of the table, read by Iceberg's generic reader. */
  List<Record> read(IcebergSink sink) {
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table(sink)).build()) {
      records.forEach(r -> out.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The values of {@code column}, in any order, as text. */
  List<String> column(IcebergSink sink, String column) {
    return read(sink).stream().map(r -> String.valueOf(r.getField(column))).toList();
  }
}
