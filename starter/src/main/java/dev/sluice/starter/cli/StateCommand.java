package dev.sluice.starter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.iceberg.IcebergCatalogs;
import dev.sluice.activities.iceberg.IcebergTableState;
import dev.sluice.activities.parquet.TableState;
import dev.sluice.activities.parquet.TableState.Snapshot;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.pipeline.LakeTable;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.starter.spec.LoadedPipeline;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import dev.sluice.workflows.workunits.UnitPaths;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice state show|windows|reset FILE}: what Sluice keeps for a pipeline's table, and the
 * one repair. Reads the table's {@code _sluice/} directly, and for an {@code iceberg} sink the
 * watermark and window ranges from its snapshot summaries ({@link IcebergTableState}); needs no
 * Temporal server.
 */
@Command(
    name = "state",
    description = {
      "Inspect or repair what Sluice keeps beside a pipeline's table.",
      "The watermark, each window's range, rows, files and run, the runs holding windows, open"
          + " submit receipts, sent batches."
    },
    mixinStandardHelpOptions = true,
    subcommands = {StateCommand.Show.class, StateCommand.Windows.class, StateCommand.Reset.class})
public final class StateCommand extends CliCommand {
  @Override
  public Integer call() {
    spec.commandLine().usage(err());
    return ExitCodes.INVALID_INPUT;
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The tables of a pipeline: its table, or each work unit's partition. */
  static List<LakeTable> tables(PipelineSpec pipeline, HadoopFiles files) {
    LakeTable table = pipeline.sink().lakeTable();
    if (pipeline.units() == null) {
      return List.of(table);
    }
    String prefix = pipeline.units().partition() + "=";
    List<LakeTable> out = new ArrayList<>();
    FileSystem fs = files.fs(table.path());
    try {
      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(table.path());
      if (fs.exists(dir)) {
        for (FileStatus s : fs.listStatus(dir)) {
          String name = s.getPath().getName();
          if (s.isDirectory() && name.startsWith(prefix)) {
            String base = table.path().replaceAll("/+$", "");
            out.add(table.withPath(base + "/" + name));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + table.path() + ": " + e.getMessage(), e);
    }
    return out;
  }

  @Command(
      name = "show",
      description = "Print the state beside the pipeline's table (each unit's, for work units).",
      mixinStandardHelpOptions = true)
  static final class Show extends PipelineFileCommand {
    @Mixin OutputOption output;

    @Override
    int run(LoadedPipeline loaded, PrintWriter out, PrintWriter err)
        throws JsonProcessingException {
      List<Snapshot> snapshots = read(loaded.spec());
      if (output.json()) {
        out.println(JSON.writeValueAsString(snapshots.size() == 1 ? snapshots.get(0) : snapshots));
        return ExitCodes.OK;
      }
      if (snapshots.isEmpty()) {
        out.println("no unit partitions under " + loaded.spec().sink().lakeTable().path());
      }
      for (Snapshot s : snapshots) {
        print(out, s);
      }
      return ExitCodes.OK;
    }

    private static void print(PrintWriter out, Snapshot s) {
      out.println("table         " + s.table());
      out.println(
          "watermark     "
              + (s.watermark() == null
                  ? "none (the next run starts from incremental.initial)"
                  : s.watermark().value()
                      + "  ("
                      + s.watermark().column()
                      + ", by "
                      + s.watermark().publishedBy()
                      + " at "
                      + s.watermark().publishedAt()
                      + ")"));
      printWindows(out, s);
      for (TableState.Lease l : s.leases()) {
        out.printf(
            "held          %s by %s (run %s, window %s, since %s)%n",
            l.name(), l.workflowId(), l.firstRunId(), l.window(), l.claimedAt());
      }
      for (TableState.Receipt r : s.openReceipts()) {
        out.printf(
            "open receipt  %s: provider job %s submitted %s by run %s%n",
            r.window(), r.requestId(), r.submittedAt(), r.temporalRunId());
      }
      for (TableState.SentBatch b : s.sentBatches()) {
        out.printf("sent batch    %s: %s%n", b.window(), b.record().path("batchId").asText("?"));
      }
      for (TableState.Reset r : s.resets()) {
        out.printf("reset         %s → %s by %s at %s%n", r.from(), r.to(), r.by(), r.at());
      }
      out.println();
    }
  }

  /** The state of each of the pipeline's tables (one, or each work unit's). */
  static List<Snapshot> read(PipelineSpec pipeline) {
    HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());
    if (pipeline.sink() instanceof IcebergSink iceberg) {
      // The watermark and the ranges live in the table's snapshot summaries, not under _sluice/.
      IcebergCatalogs catalogs =
          new IcebergCatalogs(HadoopFiles.defaultConfiguration(), SecretResolver.fromSystem());
      return List.of(new IcebergTableState(catalogs, files, Clock.systemUTC()).read(iceberg));
    }
    TableState state = new TableState(files, Clock.systemUTC());
    List<Snapshot> snapshots = new ArrayList<>();
    for (LakeTable table : tables(pipeline, files)) {
      snapshots.add(state.read(table));
    }
    return snapshots;
  }

  static void printWindows(PrintWriter out, Snapshot s) {
    if (s.windows().isEmpty()) {
      out.println("windows       none committed with a recorded range");
      return;
    }
    out.printf("windows       %d%n", s.windows().size());
    out.printf(
        "  %-26s %-58s %8s %6s  %s%n", "WINDOW", "RANGE (from, to]", "ROWS", "FILES", "RUN");
    for (WindowRange w : s.windows()) {
      out.printf(
          "  %-26s %-58s %8d %6d  %s (%s)%n",
          w.window(),
          w.column() == null ? "-" : "(" + w.from() + ", " + w.to() + "]",
          w.rows(),
          w.files(),
          w.workflowId(),
          w.runId());
    }
  }

  @Command(
      name = "windows",
      description = {
        "Print the committed windows of the pipeline's table: each one's watermark range, rows,"
            + " files and run.",
        "With --output json: the windows as a list (for work units, one list per unit's table)."
      },
      mixinStandardHelpOptions = true)
  static final class Windows extends PipelineFileCommand {
    @Mixin OutputOption output;

    @Override
    int run(LoadedPipeline loaded, PrintWriter out, PrintWriter err)
        throws JsonProcessingException {
      List<Snapshot> snapshots = read(loaded.spec());
      if (output.json()) {
        Object json =
            snapshots.size() == 1
                ? snapshots.get(0).windows()
                : snapshots.stream().map(s -> Map.of("table", s.table(), "windows", s.windows()))
                    .toList();
        out.println(JSON.writeValueAsString(json));
        return ExitCodes.OK;
      }
      for (Snapshot s : snapshots) {
        out.println("table         " + s.table());
        printWindows(out, s);
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "reset",
      description = {
        "Set the table's watermark, after asking for confirmation, and record that it was reset.",
        "Refused while a run holds the table's newest range, or when committed windows own rows",
        "above the new value (new windows would read them again)."
      },
      mixinStandardHelpOptions = true)
  static final class Reset extends PipelineFileCommand {
    @Option(
        names = "--to",
        required = true,
        paramLabel = "VALUE",
        description = "The new watermark, in the format the provider expects.")
    String value;

    @Option(
        names = "--unit",
        paramLabel = "VALUE",
        description = "For work units: the unit whose partition to reset.")
    String unit;

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    boolean yes;

    @Mixin OutputOption output;

    @Override
    int run(LoadedPipeline loaded, PrintWriter out, PrintWriter err) throws IOException {
      PipelineSpec pipeline = loaded.spec();
      if (pipeline.sink() instanceof IcebergSink) {
        // Its watermark is in the snapshot summaries; a record under _sluice/ would be ignored.
        err.println(
            "not reset: the watermark of an iceberg table is the newest sluice.watermark in its"
                + " snapshot summaries; roll the table back (Iceberg's rollback_to_snapshot) to"
                + " move it back, or run older windows again");
        return ExitCodes.INVALID_INPUT;
      }
      if (pipeline.incremental() == null
          && !(pipeline.source() instanceof dev.sluice.pipeline.PlatformBatchesSource)) {
        err.println(
            file.path() + ": the pipeline has no 'incremental' section, so its table keeps no watermark");
        return ExitCodes.INVALID_INPUT;
      }
      LakeTable table = pipeline.sink().lakeTable();
      if (pipeline.units() != null) {
        if (unit == null) {
          err.println("a work-units pipeline keeps a watermark per unit: name one with --unit");
          return ExitCodes.INVALID_INPUT;
        }
        table =
            table.withPath(UnitPaths.partition(table.path(), pipeline.units().partition(), unit));
      }
      HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());
      TableState state = new TableState(files, Clock.systemUTC());
      Snapshot before = state.read(table);
      Optional<String> refusal = state.resetRefusal(before, value);
      if (refusal.isPresent()) {
        err.println("not reset: " + refusal.get());
        return ExitCodes.INVALID_INPUT;
      }
      String current = before.watermark() == null ? "none" : before.watermark().value();
      if (!yes) {
        out.printf("Reset the watermark of %s from %s to %s? [y/N] ", table.path(), current, value);
        out.flush();
        String answer =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).startsWith("y")) {
          err.println("not reset");
          return ExitCodes.INVALID_INPUT;
        }
      }
      String column = pipeline.incremental() == null ? null : pipeline.incremental().column();
      TableState.Reset reset =
          state.reset(table, before, value, column, System.getProperty("user.name", "unknown"));
      if (output.json()) {
        out.println(JSON.writeValueAsString(reset));
      } else {
        out.printf(
            "watermark of %s reset from %s to %s (recorded under _sluice/resets/)%n",
            table.path(), current, value);
      }
      return ExitCodes.OK;
    }
  }
}
