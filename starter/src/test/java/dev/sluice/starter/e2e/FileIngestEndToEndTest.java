package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.starter.dev.EmbeddedTemporal;
import dev.sluice.workers.ActivityLibrary;
import dev.sluice.workers.SluiceWorker;
import dev.sluice.workflows.common.WorkflowIds;
import dev.sluice.workflows.fileingest.FileIngestResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice ingest} over loopback against the embedded Temporal server: requests queued while
 * no worker runs are all ingested, once each, when a worker starts; asking twice starts nothing
 * new; asking again after completion overwrites; a malformed file fails naming its line and
 * publishes nothing.
 */
class FileIngestEndToEndTest {
  private static final String QUEUE = "files-e2e";
  private static final int FILES = 4;

  @TempDir Path work;

  @Test
  @Timeout(120)
  void givenRequestsQueuedWithNoWorker_whenAWorkerStarts_thenEachFileIsIngestedExactlyOnce()
      throws Exception {
    Path lake = work.resolve("lake");
    List<Path> files = new ArrayList<>();
    long expectedRows = 0;
    for (int f = 0; f < FILES; f++) {
      int rows = 1500 + 250 * f;
      files.add(orders(work.resolve("in/orders-" + f + ".csv"), f, rows));
      expectedRows += rows;
    }
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      List<String> ids = new ArrayList<>();
      for (Path file : files) {
        Cli asked = ingest(temporal, file, "orders", lake);
        assertThat(asked.exitCode()).as(asked.err()).isEqualTo(0);
        assertThat(asked.out()).startsWith("requested file/orders/");
        ids.add(WorkflowIds.fileIngest("orders", file.toUri().toString()));
      }
      Cli again = ingest(temporal, files.get(0), "orders", lake);
      assertThat(again.exitCode()).isEqualTo(0);
      assertThat(again.out()).startsWith("already requested: " + ids.get(0));
      assertThat(Files.exists(lake.resolve("orders")))
          .as("no worker yet, nothing ingested")
          .isFalse();

      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
      WorkflowClient client =
          WorkflowClient.newInstance(
              service, WorkflowClientOptions.newBuilder().setNamespace("default").build());
      try (SluiceWorker worker =
          SluiceWorker.start(
              client,
              QUEUE,
              ActivityLibrary.create(System::getenv, new SimpleMeterRegistry()),
              Duration.ofSeconds(5))) {
        long published = 0;
        for (String id : ids) {
          published += client.newUntypedWorkflowStub(id).getResult(FileIngestResult.class).rows();
        }
        assertThat(published).isEqualTo(expectedRows);
        Path table = lake.resolve("orders");
        assertThat(count(table, "COUNT(*)")).isEqualTo(expectedRows);
        assertThat(count(table, "COUNT(DISTINCT order_id)")).isEqualTo(expectedRows);
        assertThat(parquetFiles(table)).hasSize(FILES);

        // Asked again once done: ingested again over the same file names, no duplicate rows.
        Cli redo = ingest(temporal, files.get(0), "orders", lake, "--wait");
        assertThat(redo.exitCode()).as(redo.err()).isEqualTo(0);
        assertThat(redo.out()).contains("ingested 1500 rows from " + files.get(0).toUri());
        assertThat(count(table, "COUNT(*)")).isEqualTo(expectedRows);
        assertThat(parquetFiles(table)).hasSize(FILES);

        // A malformed file fails naming URI and line; nothing of it is published or left staged.
        Path bad = work.resolve("in/broken.csv");
        Files.writeString(bad, "order_id,amount\n1,2.5\n2,\"unterminated\n");
        Cli broken = ingest(temporal, bad, "orders", lake, "--wait");
        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.err()).contains(bad.toUri() + ": line 3: ");
        assertThat(count(table, "COUNT(*)")).isEqualTo(expectedRows);
        assertThat(table.resolve("_sluice/staging"))
            .satisfiesAnyOf(
                p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
      } finally {
        service.shutdownNow();
      }
    }
  }

  private static Cli ingest(
      EmbeddedTemporal temporal, Path file, String dataset, Path lake, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "ingest",
                "--uri",
                file.toString(),
                "--dataset",
                dataset,
                "--lake",
                lake.toString(),
                "--address",
                temporal.address(),
                "--task-queue",
                QUEUE));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  /** A CSV of {@code rows} orders whose IDs are unique across files. */
  private static Path orders(Path file, int f, int rows) throws IOException {
    Files.createDirectories(file.getParent());
    StringBuilder csv = new StringBuilder("order_id,customer,amount\n");
    for (int i = 0; i < rows; i++) {
      csv.append(f * 1_000_000L + i).append(",c-").append(i % 97).append(',').append(i * 0.25);
      csv.append('\n');
    }
    Files.writeString(file, csv);
    return file;
  }

  private static long count(Path table, String expression) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT " + expression + " FROM read_parquet('" + table + "/*.parquet')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> parquetFiles(Path table) throws IOException {
    try (Stream<Path> list = Files.list(table)) {
      return list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parquet")).toList();
    }
  }
}
