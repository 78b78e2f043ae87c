package dev.sluice.starter.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.iceberg.IcebergCatalogs;
import dev.sluice.activities.iceberg.IcebergFormat;
import dev.sluice.activities.parquet.ParquetSinkActivitiesImpl;
import dev.sluice.activities.parquet.ParquetStagingWriter;
import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.activities.parquet.TableFormats;
import dev.sluice.activities.parquet.WatermarkRange;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.IcebergCatalogSpec;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.sandbox.iceberg.IcebergRestCatalog;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.WindowCommit;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The iceberg sink's commits through an Iceberg REST catalog server (the sandbox's), read back by
 * pyiceberg's RestCatalog: the server speaks the REST spec to another implementation than the
 * Java client that wrote, and the rows and summaries are the sink's, row for row.
 */
@ExtendWith(PyIceberg.class)
class PyIcebergRestTest {
  private static final String CREDENTIAL =
      IcebergRestCatalog.CLIENT_ID + ":" + IcebergRestCatalog.CLIENT_SECRET;
  private static final List<String> COLUMNS = List.of("id", "name", "ts");

  @TempDir Path warehouse;

  @Test
  void givenRunsCommittedThroughTheRestCatalog_whenReadByPyiceberg_thenRowsAndSummariesMatch() {
    try (IcebergRestCatalog server = IcebergRestCatalog.serve(warehouse)) {
      IcebergSink sink =
          new IcebergSink(
              new IcebergCatalogSpec.Rest(server.uri(), server.warehouse(), CREDENTIAL, null),
              "crm.contacts",
              "append",
              List.of("day(ts)"),
              null,
              null,
              List.of(
                  new ColumnSpec("id", "long", null),
                  new ColumnSpec("name", "string", null),
                  new ColumnSpec("ts", "timestamp", null)),
              null,
              null);
      Runs runs = new Runs();
      runs.commit(sink, "2026-11-01", "r1",
          List.of(new Object[] {"1", "Ada", "2026-11-01T10:15:30Z"},
              new Object[] {"2", null, "2026-11-01T23:00:00Z"}));
      runs.commit(sink, "2026-11-02", "r2",
          List.<Object[]>of(new Object[] {"3", "Émile \"E\"", "2026-11-02T00:00:00Z"}));

      PyIceberg.Read read = PyIceberg.readRest(server.uri(), CREDENTIAL, "crm.contacts");

      assertThat(read.rows())
          .containsExactlyInAnyOrder(
              Map.of("id", 1, "name", "Ada", "ts", "2026-11-01T10:15:30+00:00"),
              new java.util.HashMap<>(Map.of("id", 2, "ts", "2026-11-01T23:00:00+00:00")) {
                {
                  put("name", null);
                }
              },
              Map.of("id", 3, "name", "Émile \"E\"", "ts", "2026-11-02T00:00:00+00:00"));
      assertThat(read.summaries())
          .extracting(s -> s.get("sluice.window"))
          .containsExactly("2026-11-01", "2026-11-02");
      assertThat(read.table().path("location").asText()).isEqualTo(sink.path());
      assertThat(read.table().path("partition_spec").toString()).contains("day");
    }
  }

  /** The sink's activities, as the ingest workflow drives them: open the window, stage, publish. */
  private static final class Runs {
    private final HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());
    private final IcebergFormat format =
        new IcebergFormat(
            new IcebergCatalogs(
                HadoopFiles.defaultConfiguration(), new SecretResolver(name -> null, "test")),
            files,
            Clock.systemUTC());
    private final ParquetSinkActivitiesImpl activities =
        new ParquetSinkActivitiesImpl(
            files, TableFormats.of(files, Clock.systemUTC(), Map.of(IcebergSink.class, format)));

    void commit(IcebergSink sink, String window, String runId, List<Object[]> rows) {
      String workflowId = "ingest/contacts/" + window;
      String key = RunKeys.of(workflowId);
      Holder holder = new Holder(workflowId, runId);
      activities.openWindow(new OpenWindowRequest(sink, key, window, holder, "ts"));
      String staging = RunKeys.staging(sink, key);
      WriterState state;
      try (ParquetStagingWriter writer =
          new ParquetStagingWriter(
              files, sink, staging, key, "ts", WatermarkRange.all(), null,
              format.staging(sink, runId))) {
        writer.columns(COLUMNS);
        rows.forEach(writer::record);
        state = writer.finish();
      }
      WindowCommit commit = new WindowCommit(key, window, holder, runId, "ts", null, null);
      activities.publish(
          new PublishRequest(
              key, sink, staging, state.files(), "ts", state.maxWatermark(), null, commit,
              state.rows()));
    }
  }
}
