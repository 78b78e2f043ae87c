package dev.sluice.starter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.iceberg.IcebergCatalogs;
import dev.sluice.activities.iceberg.maintenance.FileCompaction;
import dev.sluice.activities.iceberg.maintenance.OrphanFiles;
import dev.sluice.activities.iceberg.maintenance.RunsInProgress;
import dev.sluice.activities.iceberg.maintenance.SnapshotExpiry;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.DataSize;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.starter.spec.LoadedPipeline;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice table expire-snapshots|rewrite-files|remove-orphan-files FILE}: maintenance of the
 * Iceberg table a pipeline's {@code iceberg} sink writes, through the sink's own catalog. Needs no
 * Temporal server; safe while runs commit (each is one optimistic Iceberg commit that fails,
 * changing nothing, when a run committed meanwhile).
 */
@Command(
    name = "table",
    description = {
      "Maintain the Iceberg table of a pipeline's iceberg sink.",
      "Expire old snapshots (keeping what the sink reads back), compact small files, remove the"
          + " files aborted runs left."
    },
    mixinStandardHelpOptions = true,
    subcommands = {
      TableCommand.ExpireSnapshots.class,
      TableCommand.RewriteFiles.class,
      TableCommand.RemoveOrphanFiles.class,
      TableScheduleCommand.class
    })
public final class TableCommand extends CliCommand {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  @Override
  public Integer call() {
    spec.commandLine().usage(err());
    return ExitCodes.INVALID_INPUT;
  }

  /** A maintenance command: finds the sink's table in its catalog, then works on it. */
  abstract static class OnTable extends PipelineFileCommand {
    @Mixin OutputOption output;

    @Override
    final int run(LoadedPipeline loaded, PrintWriter out, PrintWriter err) throws Exception {
      if (!(loaded.spec().sink() instanceof IcebergSink sink)) {
        err.println(
            file.path()
                + ": table maintenance is for iceberg sinks; this pipeline's sink keeps its own"
                + " files");
        return ExitCodes.INVALID_INPUT;
      }
      Optional<Table> table;
      try {
        table =
            new IcebergCatalogs(HadoopFiles.defaultConfiguration(), SecretResolver.fromSystem())
                .load(sink);
      } catch (RuntimeException e) {
        err.println("cannot open the catalog of " + sink.table() + ": " + oneLine(e));
        return ExitCodes.UNAVAILABLE;
      }
      if (table.isEmpty()) {
        out.println("no table " + sink.table() + " in the catalog yet: no run has committed to it");
        return ExitCodes.OK;
      }
      try {
        Object result = maintain(table.get(), sink, out);
        if (output.json()) {
          out.println(JSON.writeValueAsString(result));
        }
        return ExitCodes.OK;
      } catch (CommitFailedException | ValidationException e) {
        err.println(
            "the table "
                + sink.table()
                + " changed while this ran (a run committed?); nothing was changed, run it again: "
                + oneLine(e));
        return ExitCodes.RUN_FAILED;
      } catch (IllegalArgumentException e) {
        err.println(e.getMessage());
        return ExitCodes.INVALID_INPUT;
      } catch (RuntimeException e) {
        err.println("maintenance of " + sink.table() + " failed: " + oneLine(e));
        return ExitCodes.UNAVAILABLE;
      }
    }

    /** Does the work; prints the text report unless JSON is asked for, and returns the result. */
    abstract Object maintain(Table table, IcebergSink sink, PrintWriter out);

    boolean text() {
      return !output.json();
    }

    private static String oneLine(Exception e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return m.lines().findFirst().orElse(m);
    }
  }

  @Command(
      name = "expire-snapshots",
      description = {
        "Expire snapshots older than --older-than, beyond the newest --retain-last, and delete the"
            + " files only they referenced.",
        "Always kept: the current snapshot, branch and tag heads, each window's newest commit and"
            + " the newest commit with a watermark (the sink reads the watermark, the re-run"
            + " ranges and the run keys from them)."
      },
      mixinStandardHelpOptions = true)
  static final class ExpireSnapshots extends OnTable {
    @Option(
        names = "--older-than",
        paramLabel = "DURATION",
        defaultValue = "5d",
        converter = ScheduleFlags.DurationConverter.class,
        description = "Expire only snapshots older than this (default: ${DEFAULT-VALUE}).")
    Duration olderThan;

    @Option(
        names = "--retain-last",
        paramLabel = "N",
        defaultValue = "1",
        description = "Keep at least the newest N snapshots (default: ${DEFAULT-VALUE}).")
    int retainLast;

    @Option(names = "--dry-run", description = "Say what would be expired; change nothing.")
    boolean dryRun;

    @Override
    Object maintain(Table table, IcebergSink sink, PrintWriter out) {
      Instant before = Instant.now().minus(olderThan);
      SnapshotExpiry.Result r =
          dryRun
              ? SnapshotExpiry.plan(table, before, retainLast)
              : SnapshotExpiry.expire(table, before, retainLast);
      if (text()) {
        out.printf(
            "%s %d snapshot(s) of %s; kept %d:%n",
            dryRun ? "would expire" : "expired",
            r.expired().size(),
            sink.table(),
            r.kept().size());
        for (SnapshotExpiry.Kept k : r.kept()) {
          out.printf(
              "  %-20d %-24s %s%s%n",
              k.snapshotId(),
              k.committedAt(),
              k.reason(),
              k.window() == null ? "" : " (window " + k.window() + ")");
        }
      }
      return r;
    }
  }

  @Command(
      name = "rewrite-files",
      description = {
        "Compact each partition's small data files into files of about --target-file-size, in one"
            + " commit that changes no row.",
        "A file is small below three quarters of the target; partitions with one small file are"
            + " left alone. Refused for overwrite-window sinks (their re-runs replace files by"
            + " window)."
      },
      mixinStandardHelpOptions = true)
  static final class RewriteFiles extends OnTable {
    @Option(
        names = "--target-file-size",
        paramLabel = "SIZE",
        description = "e.g. 128MB (default: the sink's targetFileSize).")
    String targetFileSize;

    @Override
    Object maintain(Table table, IcebergSink sink, PrintWriter out) {
      if (targetFileSize != null && !DataSize.looksLikeSize(targetFileSize)) {
        throw new IllegalArgumentException(
            "--target-file-size '" + targetFileSize + "' is not a size such as 128MB");
      }
      FileCompaction.Result r =
          FileCompaction.rewrite(table, FileCompaction.targetSize(sink, targetFileSize));
      if (text()) {
        if (r.snapshotId() == null) {
          out.println("nothing to rewrite in " + sink.table() + ": no partition has two small files");
        } else {
          out.printf(
              "rewrote %d partition(s) of %s in snapshot %d:%n",
              r.rewritten().size(), sink.table(), r.snapshotId());
          for (FileCompaction.Rewritten p : r.rewritten()) {
            out.printf(
                "  %-40s %4d files -> %d, %d rows%n",
                p.partition().isEmpty() ? "(unpartitioned)" : p.partition(),
                p.filesBefore(),
                p.filesAfter(),
                p.rows());
          }
        }
        if (r.skippedWithDeletes() > 0) {
          out.printf("left %d partition(s) with delete files alone%n", r.skippedWithDeletes());
        }
      }
      return r;
    }
  }

  @Command(
      name = "remove-orphan-files",
      description = {
        "Delete the files under the table's data and metadata folders that no snapshot references"
            + " and that are older than --older-than: what aborted runs left.",
        "Files of runs in progress stay whatever their age: a run holding a lease on the table, or"
            + " whose staging folder has a file younger than --older-than."
      },
      mixinStandardHelpOptions = true)
  static final class RemoveOrphanFiles extends OnTable {
    @Option(
        names = "--older-than",
        paramLabel = "DURATION",
        defaultValue = "3d",
        converter = ScheduleFlags.DurationConverter.class,
        description = "Only files older than this (default: ${DEFAULT-VALUE}).")
    Duration olderThan;

    @Option(names = "--dry-run", description = "List what would be deleted; delete nothing.")
    boolean dryRun;

    @Override
    Object maintain(Table table, IcebergSink sink, PrintWriter out) {
      Instant before = Instant.now().minus(olderThan);
      // The runs holding a lease on the table keep their staging, however old its files are.
      Set<String> running =
          RunsInProgress.runKeys(new HadoopFiles(HadoopFiles.defaultConfiguration()), sink);
      OrphanFiles.Result r =
          dryRun
              ? OrphanFiles.plan(table, before, running)
              : OrphanFiles.remove(table, before, running);
      if (text()) {
        out.printf(
            "%s %d orphan file(s) (%d bytes) of %s; %d live, %d too young to judge, %d of runs in"
                + " progress%n",
            dryRun ? "would delete" : "deleted",
            r.orphans().size(),
            r.bytes(),
            sink.table(),
            r.liveFiles(),
            r.tooYoung(),
            r.inProgress());
        for (OrphanFiles.Orphan o : r.orphans()) {
          out.printf("  %s  %s%n", o.createdAt(), o.location());
        }
      }
      return r;
    }
  }
}
