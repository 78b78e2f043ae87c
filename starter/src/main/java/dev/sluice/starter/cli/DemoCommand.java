package dev.sluice.starter.cli;

import dev.sluice.pipeline.ParquetSink;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.starter.spec.LoadedPipeline;
import dev.sluice.workers.codec.PayloadEncryption;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice demo}: runs the example Salesforce pipeline twice on the embedded stack: a full
 * first run, then an incremental run after the sandbox gained newer contacts.
 */
@Command(
    name = "demo",
    description = {
      "Run the example Salesforce pipeline on an embedded Temporal server, worker and sandbox.",
      "Everything listens on 127.0.0.1. A first run fetches every contact; after the sandbox gains"
          + " newer",
      "contacts, an incremental run fetches only those."
    },
    mixinStandardHelpOptions = true)
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--pipeline",
      paramLabel = "FILE",
      description = "Pipeline to run (default ${DEFAULT-VALUE}).",
      defaultValue = "examples/salesforce-bulk-contacts.yaml")
  Path pipeline;

  @Option(
      names = "--records",
      description = "Contacts in the sandbox (default ${DEFAULT-VALUE}).",
      defaultValue = "1000")
  int records;

  @Option(
      names = "--added",
      description = "Newer contacts added before the incremental run (default ${DEFAULT-VALUE}).",
      defaultValue = "250")
  int added;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<LoadedPipeline> loaded = PipelineFiles.load(pipeline, err);
    if (loaded.isEmpty()) {
      if (!Files.exists(pipeline)) {
        err.println("run the demo from the repository root, or pass --pipeline FILE");
      }
      return ExitCodes.INVALID_INPUT;
    }
    var pipelineSpec = loaded.get().spec();
    if (pipelineSpec.sink() instanceof ParquetSink sink && sink.path().startsWith("file:")) {
      Path table = Path.of(URI.create(sink.path()));
      out.println("demo output: " + table + " (replaced on every demo run)");
      deleteTree(table);
    }
    String taskQueue = "sluice-demo";
    SandboxConfig sandbox = SandboxConfig.defaults().withContactRecords(records);
    String encryption;
    try {
      encryption = PayloadEncryption.describe(PayloadEncryption.fromEnvironment(System.getenv()));
    } catch (IllegalArgumentException e) {
      err.println("payload encryption is misconfigured: " + e.getMessage());
      return ExitCodes.INVALID_INPUT;
    }
    try (DevEnvironment dev = DevEnvironment.start(0, sandbox, taskQueue)) {
      out.println(
          "embedded Temporal at "
              + dev.temporal().address()
              + ", sandbox at "
              + dev.sandbox().baseUrl());
      out.println(encryption);
      RunWatcher watcher = new RunWatcher(out, err, System.console() != null);

      out.println();
      out.println("1. first run: every contact");
      out.flush();
      Instant first = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      AsyncIngestResult r1 = runOnce(dev, taskQueue, pipelineSpec, first.toString(), watcher, err);
      if (r1 == null) {
        return ExitCodes.RUN_FAILED;
      }

      dev.sandbox().salesforce().addContacts(added);
      out.println();
      out.println(
          "2. the sandbox gained "
              + added
              + " newer contacts; incremental run from watermark "
              + r1.watermark());
      out.flush();
      AsyncIngestResult r2 =
          runOnce(dev, taskQueue, pipelineSpec, first.plusSeconds(1).toString(), watcher, err);
      if (r2 == null) {
        return ExitCodes.RUN_FAILED;
      }

      out.println();
      long readBack = countRows(r1.tableUri());
      out.println(
          "table "
              + r1.tableUri()
              + " now holds "
              + readBack
              + " rows (read back from its Parquet footers; "
              + r1.rows()
              + " + "
              + r2.rows()
              + " published)");
      out.println(
          "query it: duckdb -c \"SELECT count(*) FROM '"
              + Path.of(URI.create(r1.tableUri()))
              + "/*.parquet'\"");
      return readBack == r1.rows() + r2.rows() ? ExitCodes.OK : ExitCodes.RUN_FAILED;
    }
  }

  private static AsyncIngestResult runOnce(
      DevEnvironment dev,
      String taskQueue,
      dev.sluice.pipeline.PipelineSpec pipeline,
      String logicalDate,
      RunWatcher watcher,
      PrintWriter err)
      throws InterruptedException {
    String id = PipelineRuns.start(dev.client(), taskQueue, pipeline, logicalDate);
    RunWatcher.Outcome outcome = watcher.watch(dev.client(), id);
    if (!outcome.succeeded()) {
      err.println("run " + id + " failed: " + outcome.failure());
      return null;
    }
    watcher.printSummary(id, outcome.result());
    return outcome.result();
  }

  /** Rows in every Parquet file of a local table, from the footers. */
  static long countRows(String tableUri) throws IOException {
    Configuration conf = new Configuration();
    long rows = 0;
    try (Stream<Path> files = Files.list(Path.of(URI.create(tableUri)))) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
        try (ParquetFileReader reader =
            ParquetFileReader.open(
                HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.toUri()), conf))) {
          rows += reader.getRecordCount();
        }
      }
    }
    return rows;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
