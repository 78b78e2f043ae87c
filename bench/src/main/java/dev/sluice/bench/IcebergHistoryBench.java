package dev.sluice.bench;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.iceberg.IcebergCatalogs;
import dev.sluice.activities.iceberg.IcebergFormat;
import dev.sluice.activities.iceberg.SnapshotLog;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.IcebergCatalogSpec;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotParser;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.types.Types;

/**
 * The iceberg sink's publish (its commit) on a table with a long history: {@code --history} prior
 * snapshots, each with the summary the sink writes (run key, commit token, window, watermark), then
 * {@code --runs} publishes of one small staged file each, timed through {@link
 * IcebergFormat#publish} (refresh, the run-key look-up over the whole ancestry, which misses, the
 * carried watermark, the manifest, the metadata file with every snapshot in it). The history is
 * written in one metadata commit whose snapshots share one real manifest list: committing thousands
 * one by one would rewrite the growing metadata file each time. Also times the look-up alone
 * ({@link SnapshotLog#committed}, a miss). Hadoop catalog on the local disk.
 *
 * <p>Usage: {@code IcebergHistoryBench [--history 0,1000,5000] [--runs 5]}
 */
public final class IcebergHistoryBench {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "v", Types.StringType.get()));

  private IcebergHistoryBench() {}

  public static void main(String[] args) throws Exception {
    int runs = Integer.parseInt(Bench.arg(args, "runs", "5"));
    System.out.println("IcebergHistoryBench runs=" + runs);
    System.out.println(Bench.environment());
    System.out.println("load average before: " + Bench.loadAverage());
    HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());
    IcebergCatalogs catalogs = new IcebergCatalogs(files.conf(), SecretResolver.fromSystem());
    IcebergFormat format = new IcebergFormat(catalogs, files, Clock.systemUTC());
    System.out.printf(
        "%8s %14s %14s %14s %12s%n",
        "history", "publish med", "publish min", "look-up med", "metadata KB");
    for (String h : Bench.arg(args, "history", "0,1000,5000").split(",")) {
      int history = Integer.parseInt(h.trim());
      Path dir = Bench.tempDir("sluice-iceberg-history");
      IcebergSink sink =
          new IcebergSink(
              new IcebergCatalogSpec.Hadoop(dir.toUri().toString()),
              "bench.t",
              "append",
              null,
              null,
              null,
              null,
              null,
              null);
      Table table = catalogs.loadOrCreate(sink, SCHEMA);
      table
          .newAppend()
          .appendFile(write(table, sink.stagingDir("seed") + "/part-0.parquet"))
          .commit();
      addHistory(table, history);
      List<Long> publish = new ArrayList<>();
      List<Long> lookUp = new ArrayList<>();
      for (int r = 0; r < runs + 1; r++) {
        String runKey = "ingest_bench_run-" + r;
        String staging = sink.stagingDir(runKey);
        write(table, staging + "/part-0.parquet");
        PublishRequest request =
            new PublishRequest(
                runKey, sink, staging, List.of("part-0.parquet"), "id", Integer.toString(r));
        long t0 = System.nanoTime();
        format.publish(request);
        long t1 = System.nanoTime();
        table.refresh();
        long t2 = System.nanoTime();
        SnapshotLog.committed(table, "no-such-commit");
        long t3 = System.nanoTime();
        if (r > 0) { // the first is a warm-up
          publish.add(t1 - t0);
          lookUp.add(t3 - t2);
        }
      }
      long metadataBytes =
          table
              .io()
              .newInputFile(
                  ((HasTableOperations) table).operations().current().metadataFileLocation())
              .getLength();
      Collections.sort(publish);
      Collections.sort(lookUp);
      System.out.printf(
          "%8d %11.1f ms %11.1f ms %11.2f ms %12d%n",
          history,
          publish.get(publish.size() / 2) / 1e6,
          publish.get(0) / 1e6,
          lookUp.get(lookUp.size() / 2) / 1e6,
          metadataBytes / 1024);
    }
    System.out.println("load average after: " + Bench.loadAverage());
  }

  /**
   * {@code n} snapshots on top of the current one, as the sink's commits, in one metadata commit.
   */
  private static void addHistory(Table table, int n) {
    if (n == 0) {
      return;
    }
    TableOperations ops = ((HasTableOperations) table).operations();
    TableMetadata base = ops.refresh();
    Snapshot current = base.currentSnapshot();
    TableMetadata.Builder b = TableMetadata.buildFrom(base);
    long parent = current.snapshotId();
    long seq = current.sequenceNumber();
    long ts = current.timestampMillis();
    for (int i = 0; i < n; i++) {
      long id = 1_000_000L + i;
      String run = "ingest_bench_" + i;
      String json =
          "{\"sequence-number\":"
              + (++seq)
              + ",\"snapshot-id\":"
              + id
              + ",\"parent-snapshot-id\":"
              + parent
              + ",\"timestamp-ms\":"
              + (++ts)
              + ",\"summary\":{\"operation\":\"append\",\"sluice.run-key\":\""
              + run
              + "\",\"sluice.commit\":\""
              + run
              + "/r"
              + i
              + "\",\"sluice.window-key\":\""
              + run
              + "\",\"sluice.window\":\"2026-01-01T00:00:00Z/"
              + i
              + "\",\"sluice.watermark-column\":\"id\",\"sluice.watermark-from\":\""
              + i
              + "\",\"sluice.watermark-to\":\""
              + (i + 1)
              + "\",\"sluice.watermark\":\""
              + (i + 1)
              + "\",\"sluice.rows\":\"1\",\"sluice.files\":\"1\",\"sluice.workflow-id\":\"ingest/bench/"
              + i
              + "\",\"sluice.run-id\":\"r"
              + i
              + "\",\"sluice.committed-at\":\"2026-12-07T00:00:00Z\""
              + ",\"added-data-files\":\"1\",\"total-data-files\":\"1\",\"total-records\":\"1\"}"
              + ",\"manifest-list\":\""
              + current.manifestListLocation()
              + "\",\"schema-id\":"
              + current.schemaId()
              + "}";
      b.addSnapshot(SnapshotParser.fromJson(json));
      parent = id;
    }
    b.setBranchSnapshot(parent, "main");
    ops.commit(base, b.build());
    table.refresh();
  }

  /** One data file of three rows at {@code location}, with the table's field IDs. */
  private static DataFile write(Table table, String location) {
    GenericFileWriterFactory writers =
        new GenericFileWriterFactory.Builder(table).dataSchema(table.schema()).build();
    DataWriter<Record> writer =
        writers.newDataWriter(
            EncryptedFiles.plainAsEncryptedOutput(table.io().newOutputFile(location)),
            table.spec(),
            null);
    try (writer) {
      for (long i = 0; i < 3; i++) {
        Record r = GenericRecord.create(table.schema());
        r.setField("id", i);
        r.setField("v", "v" + i);
        writer.write(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toDataFile();
  }
}
