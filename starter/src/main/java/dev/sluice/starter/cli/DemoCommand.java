package dev.sluice.starter.cli;

import dev.sluice.pipeline.LakeTable;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.DeferralSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.pipeline.PlatformBatchesSource;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.starter.spec.LoadedPipeline;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.platformingest.PlatformIngestResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice demo}: runs the example Salesforce pipeline twice on a local stack (a full
 * first run, then an incremental run after the sandbox gained newer contacts), then sends the same
 * ingest to the sandbox's data platform emulation as one batch and reads that dataset back as a
 * platform source.
 */
@Command(
    name = "demo",
    description = {
      "Run the example pipelines on a local Temporal server, worker and sandbox.",
      "Everything listens on 127.0.0.1. A first run fetches every contact; after the sandbox gains"
          + " newer contacts, an incremental run fetches only those. Then the same contacts are"
          + " sent to the sandbox's data platform as one batch, and that dataset is read back as a"
          + " platform source.",
      "The server is the Temporal CLI's dev server, with a Web UI link to each run, when one can be"
          + " had, else the embedded test server (see --server)."
    },
    mixinStandardHelpOptions = true)
public final class DemoCommand extends CliCommand {
  @Option(
      names = "--pipeline",
      paramLabel = "FILE",
      description = "Pipeline to run (default ${DEFAULT-VALUE}).",
      defaultValue = "examples/salesforce-bulk-contacts.yaml")
  Path pipeline;

  @Option(
      names = "--platform-pipeline",
      paramLabel = "FILE",
      description =
          "Pipeline sending the contacts to the platform as one batch (default ${DEFAULT-VALUE}).",
      defaultValue = "examples/contacts-to-platform.yaml")
  Path platformPipeline;

  @Option(
      names = "--platform-source",
      paramLabel = "FILE",
      description =
          "Pipeline reading a platform dataset; the demo points it at the dataset the contacts"
              + " were sent to (default ${DEFAULT-VALUE}).",
      defaultValue = "examples/platform-to-parquet.yaml")
  Path platformSource;

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

  @Mixin LocalServerOptions server;

  @Option(
      names = "--keep-running",
      description =
          "When the demo is done, keep the server (and its Web UI) running until Ctrl-C.")
  boolean keepRunning;

  @Override
  public Integer call() throws Exception {
    // The demo prints each run's progress itself; the worker's console keeps its failures.
    DebugLogging.quietRuns();
    PrintWriter out = out();
    PrintWriter err = err();
    // Every file is checked before anything starts.
    Optional<PipelineSpec> contacts = load(pipeline, "--pipeline", err);
    Optional<PipelineSpec> toPlatform =
        contacts.flatMap(c -> load(platformPipeline, "--platform-pipeline", err));
    Optional<PipelineSpec> fromPlatform =
        toPlatform.flatMap(c -> load(platformSource, "--platform-source", err));
    if (fromPlatform.isEmpty()) {
      return ExitCodes.INVALID_INPUT;
    }
    if (!(toPlatform.get().sink() instanceof PlatformBatchSink sent)) {
      err.println(platformPipeline + ": the demo needs a platform-batch sink here");
      return ExitCodes.INVALID_INPUT;
    }
    if (!(fromPlatform.get().source() instanceof PlatformBatchesSource)) {
      err.println(platformSource + ": the demo needs a platform-batches source here");
      return ExitCodes.INVALID_INPUT;
    }
    PipelineSpec contactsBack = readingBack(fromPlatform.get(), sent.datasetId());
    for (PipelineSpec p : List.of(contacts.get(), toPlatform.get(), contactsBack)) {
      String table = p.sink().lakeTable().path();
      if (table.startsWith("file:")) {
        // The demo starts from nothing each time: no table, watermark or sent-batch record.
        deleteTree(Path.of(URI.create(table)));
      }
    }
    out.println(
        "demo output under "
            + Path.of(URI.create(contacts.get().sink().lakeTable().path())).getParent()
            + " (replaced on every demo run)");
    String taskQueue = "sluice-demo";
    SandboxConfig sandbox = SandboxConfig.defaults().withContactRecords(records);
    // Failures (no CLI when one was required, misconfigured encryption) become one line and an
    // exit code in SluiceCli.
    LocalStack stack = server.startStack(0, 0, LocalServerOptions.codec(), err);
    DevEnvironment dev = stack.startDev(sandbox, taskQueue);
    // With --keep-running, the end of the demo waits for Ctrl-C before the stack stops; the Web
    // UI's codec server stops last.
    try (AutoCloseable codecServer = stack::closeUiCodec;
        AutoCloseable stop = keepRunning ? () -> keepServing(dev, out) : dev) {
      out.println("sandbox at " + dev.sandbox().baseUrl());
      LocalServerOptions.print(out, dev.temporal(), DevEnvironment.NAMESPACE);
      LocalServerOptions.export(dev.temporal())
          .ifPresent(line -> out.println("  (other terminals: " + line + ")"));
      out.println(stack.codecLine());
      RunWatcher watcher = new RunWatcher(out, err, System.console() != null);
      Demo demo = new Demo(dev, taskQueue, watcher, out, err);

      out.println();
      out.println("1. first run: every contact");
      out.flush();
      Instant first = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      AsyncIngestResult r1 = demo.run(contacts.get(), first.toString(), AsyncIngestResult.class);
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
          demo.run(contacts.get(), first.plusSeconds(1).toString(), AsyncIngestResult.class);
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
      if (readBack != r1.rows() + r2.rows()) {
        return ExitCodes.RUN_FAILED;
      }

      out.println();
      out.println(
          "3. every contact sent to the platform emulation's dataset "
              + sent.datasetId()
              + " as one batch ("
              + platformPipeline
              + ")");
      out.flush();
      AsyncIngestResult r3 =
          demo.run(
              toPlatform.get(),
              Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
              AsyncIngestResult.class);
      if (r3 == null) {
        return ExitCodes.RUN_FAILED;
      }

      out.println();
      out.println(
          "4. dataset "
              + sent.datasetId()
              + " read back as a platform source ("
              + platformSource
              + ", pointed at it)");
      out.flush();
      // A second later than now, so the window (which ends before its logical date) holds the
      // batch step 3 created within this second.
      PlatformIngestResult r4 =
          demo.run(
              contactsBack,
              Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).toString(),
              PlatformIngestResult.class);
      if (r4 == null) {
        return ExitCodes.RUN_FAILED;
      }
      return checkRoundTrip(r3, r4, out, err) ? ExitCodes.OK : ExitCodes.RUN_FAILED;
    }
  }

  /** Prints where the server is and serves it until Ctrl-C, then stops the stack. */
  private static void keepServing(DevEnvironment dev, PrintWriter out) throws InterruptedException {
    out.println();
    out.println("the demo is done; its server keeps running until Ctrl-C:");
    LocalServerOptions.print(out, dev.temporal(), DevEnvironment.NAMESPACE);
    LocalServerOptions.export(dev.temporal()).ifPresent(line -> out.println("  " + line));
    out.flush();
    Foreground.untilStopped(dev);
  }

  /** The validated pipeline in {@code file}, or empty after saying why. */
  private static Optional<PipelineSpec> load(Path file, String flag, PrintWriter err) {
    Optional<LoadedPipeline> loaded = PipelineFiles.load(file, err);
    if (loaded.isEmpty() && !Files.exists(file)) {
      err.println("run the demo from the repository root, or pass " + flag + " FILE");
    }
    return loaded.map(LoadedPipeline::spec);
  }

  /**
   * {@code source} reading {@code datasetId} instead of its own dataset, into a table beside its
   * own ({@code platform-contacts}). Its deferral rule names its own dataset's columns, so the
   * read-back holds back contacts without a phone number instead: what a deferral rule does shows
   * in the counts, and every row sent is either landed or deferred.
   */
  static PipelineSpec readingBack(PipelineSpec source, String datasetId) {
    PlatformBatchesSource s = (PlatformBatchesSource) source.source();
    PlatformBatchesSource retargeted =
        new PlatformBatchesSource(
            s.connection(),
            datasetId,
            s.read(),
            s.processing(),
            s.maxParallel(),
            s.maxBatchesPerRun(),
            s.pageSize(),
            s.settleTimeout(),
            s.settleInterval());
    LakeTable table = source.sink().lakeTable();
    // Plain string work: URI.resolve would turn file:///x into file:/x, and any scheme may be here.
    String path = table.path().replaceAll("/+$", "");
    // The demo's sink keeps a Parquet table of what it sent: read back as one beside it.
    ParquetSink beside =
        new ParquetSink(
            path.substring(0, path.lastIndexOf('/') + 1) + "platform-contacts",
            table.mode(),
            table.compression(),
            table.targetFileSize(),
            table.columns(),
            table.inferRows());
    DeferralSpec defer =
        source.defer() == null
            ? null
            : new DeferralSpec(List.of("Phone"), List.of("Id"), source.defer().retention(), null);
    return PipelineSpec.newBuilder("platform-contacts", retargeted, beside)
        .setDescription(
            "The contacts the demo sent to the platform, read back as a platform source.")
        .setWindow(source.window())
        .setDefer(defer)
        .build();
  }

  /**
   * Whether the read-back holds the demo's batch with every row it sent: landed, or deferred by the
   * read-back's rule.
   */
  private static boolean checkRoundTrip(
      AsyncIngestResult sent, PlatformIngestResult read, PrintWriter out, PrintWriter err)
      throws IOException {
    String batchId = sent.egress() == null ? null : sent.egress().batchId();
    PlatformIngestResult.ReadBatch ours =
        read.batches().stream().filter(b -> b.batchId().equals(batchId)).findFirst().orElse(null);
    if (ours == null) {
      err.println("the read-back did not read batch " + batchId + " that step 3 sent");
      return false;
    }
    long landed = countRows(read.tableUri());
    long deferred = read.deferral() == null ? 0 : read.deferral().deferred();
    out.println();
    out.println(
        "round trip: "
            + sent.rows()
            + " contacts sent in batch "
            + batchId
            + ", "
            + ours.rows()
            + " read back from it; "
            + landed
            + " landed in "
            + read.tableUri()
            + (deferred > 0 ? ", " + deferred + " deferred (no Phone yet)" : ""));
    if (ours.rows() != sent.rows()) {
      err.println("the platform returned " + ours.rows() + " rows of the " + sent.rows() + " sent");
      return false;
    }
    return true;
  }

  /** Starts runs on the demo's stack and follows each to its summary. */
  private record Demo(
      DevEnvironment dev, String taskQueue, RunWatcher watcher, PrintWriter out, PrintWriter err) {

    /** Runs {@code pipeline} for {@code logicalDate}; its result, or null after its failure. */
    <R> R run(PipelineSpec pipeline, String logicalDate, Class<R> resultType)
        throws InterruptedException {
      var execution = PipelineRuns.startExecution(dev.client(), taskQueue, pipeline, logicalDate);
      String id = execution.getWorkflowId();
      dev.temporal()
          .runUrl(DevEnvironment.NAMESPACE, id, execution.getRunId())
          .ifPresent(url -> out.println("   web ui: " + url));
      out.flush();
      RunWatcher.Outcome outcome = watcher.watch(dev.client(), id, RunKind.of(pipeline));
      if (!outcome.succeeded()) {
        err.println("run " + id + " failed: " + outcome.failure());
        return null;
      }
      watcher.printSummary(id, outcome.result(), pipeline);
      return outcome.result(resultType);
    }
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
