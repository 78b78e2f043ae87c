package dev.sluice.starter.cli;

import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionExecution;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleBackfill;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleInfo;
import io.temporal.client.schedules.ScheduleListActionStartWorkflow;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleSpec;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice schedule …}: recurring runs of a pipeline on Temporal Schedules. Each run's logical
 * date is the time it was scheduled for, so a backfill re-runs past windows as they were.
 */
@Command(
    name = "schedule",
    description = {
      "Run a pipeline on a Temporal Schedule: each run covers the window it was scheduled for.",
      "Needs a server with Schedules (docker-compose.yml, a real server); the embedded dev server"
          + " has none."
    },
    mixinStandardHelpOptions = true,
    subcommands = {
      ScheduleCreateCommand.class,
      ScheduleCommand.ListSchedules.class,
      ScheduleCommand.Describe.class,
      ScheduleCommand.Pause.class,
      ScheduleCommand.Unpause.class,
      ScheduleCommand.Trigger.class,
      ScheduleCommand.Backfill.class,
      ScheduleUpdateCommand.class,
      ScheduleCommand.Delete.class
    })
public final class ScheduleCommand extends CommandGroup {
  /** {@code schedule list}: every schedule in the namespace. */
  @Command(
      name = "list",
      description = "List the namespace's schedules.",
      mixinStandardHelpOptions = true)
  static final class ListSchedules extends CliCommand {
    @Mixin ConnectionOptions connection;

    @Override
    public Integer call() {
      PrintWriter out = out();
      return ScheduleCalls.run(
          connection,
          null,
          err(),
          (schedules, temporal) -> {
            List<ScheduleListDescription> all =
                schedules.listSchedules().collect(Collectors.toList());
            if (all.isEmpty()) {
              out.println("no schedules in namespace '" + connection.namespace() + "'");
              return ExitCodes.OK;
            }
            String format = "%-32s %-8s %-28s %-22s %s%n";
            out.printf(format, "ID", "STATE", "WHEN", "NEXT", "WORKFLOW");
            for (ScheduleListDescription s : all) {
              List<Instant> next = s.getInfo().getNextActionTimes();
              out.printf(
                  format,
                  s.getScheduleId(),
                  s.getSchedule().getState().isPaused() ? "paused" : "active",
                  when(s.getSchedule().getSpec()),
                  next.isEmpty() ? "-" : next.get(0).toString(),
                  s.getSchedule().getAction() instanceof ScheduleListActionStartWorkflow a
                      ? a.getWorkflow()
                      : "-");
            }
            return ExitCodes.OK;
          });
    }
  }

  /** {@code schedule describe ID}: spec, policies, state, recent and next runs. */
  @Command(
      name = "describe",
      description = "Show a schedule: when it runs, its policies, state, recent and next runs.",
      mixinStandardHelpOptions = true)
  static final class Describe extends ScheduleIdCommand {
    @Override
    void apply(ScheduleHandle schedule, PrintWriter out) {
      print(out, schedule.describe());
    }

    private static void print(PrintWriter out, ScheduleDescription d) {
      Schedule s = d.getSchedule();
      ScheduleInfo info = d.getInfo();
      out.println("schedule " + d.getId());
      if (s.getAction() instanceof ScheduleActionStartWorkflow a) {
        out.println(
            "  starts      "
                + a.getWorkflowType()
                + " as "
                + a.getOptions().getWorkflowId()
                + "-<scheduled time> on task queue '"
                + a.getOptions().getTaskQueue()
                + "'");
      }
      out.println(
          "  when        "
              + when(s.getSpec())
              + (s.getSpec().getJitter() == null || s.getSpec().getJitter().isZero()
                  ? ""
                  : "; jitter " + s.getSpec().getJitter()));
      out.println(
          "  overlap     "
              + ScheduleFlags.Overlap.flagOf(s.getPolicy().getOverlap())
              + (s.getPolicy().getCatchupWindow() == null
                  ? ""
                  : "; catch-up window " + s.getPolicy().getCatchupWindow())
              + (s.getPolicy().isPauseOnFailure() ? "; pauses when a run fails" : ""));
      String note = s.getState().getNote();
      out.println(
          "  state       "
              + (s.getState().isPaused() ? "paused" : "active")
              + (note == null || note.isEmpty() ? "" : " (" + note + ")"));
      out.println(
          "  runs        "
              + info.getNumActions()
              + " started, "
              + info.getNumActionsSkippedOverlap()
              + " skipped (overlap), "
              + info.getNumActionsMissedCatchupWindow()
              + " missed (catch-up window)");
      for (ScheduleActionExecution running : info.getRunningActions()) {
        out.println("  running     " + workflowId(running));
      }
      for (ScheduleActionResult recent : info.getRecentActions()) {
        out.println(
            "  recent      " + recent.getScheduledAt() + " -> " + workflowId(recent.getAction()));
      }
      for (Instant next : info.getNextActionTimes()) {
        out.println("  next        " + next);
      }
    }

    private static String workflowId(ScheduleActionExecution e) {
      return e instanceof ScheduleActionExecutionStartWorkflow w ? w.getWorkflowId() : e.toString();
    }
  }

  /** {@code schedule pause ID}: no runs until unpaused. */
  @Command(
      name = "pause",
      description = "Pause a schedule: no runs start until it is unpaused.",
      mixinStandardHelpOptions = true)
  static final class Pause extends ScheduleIdCommand {
    @Option(
        names = "--note",
        paramLabel = "TEXT",
        description = "Why, shown with the schedule's state.")
    String note;

    @Override
    void apply(ScheduleHandle schedule, PrintWriter out) {
      optionally(note, schedule::pause, schedule::pause);
      out.println("paused schedule " + id);
    }
  }

  /** {@code schedule unpause ID}. */
  @Command(name = "unpause", description = "Unpause a schedule.", mixinStandardHelpOptions = true)
  static final class Unpause extends ScheduleIdCommand {
    @Option(names = "--note", paramLabel = "TEXT", description = "Shown with the schedule's state.")
    String note;

    @Override
    void apply(ScheduleHandle schedule, PrintWriter out) {
      optionally(note, schedule::unpause, schedule::unpause);
      out.println("unpaused schedule " + id);
    }
  }

  /** {@code schedule trigger ID}: one run now, its logical date now. */
  @Command(
      name = "trigger",
      description = "Start one run now (its logical date is now), besides the schedule's own.",
      mixinStandardHelpOptions = true)
  static final class Trigger extends ScheduleIdCommand {
    @Option(
        names = "--overlap",
        paramLabel = "POLICY",
        converter = ScheduleFlags.OverlapConverter.class,
        completionCandidates = ScheduleFlags.OverlapNames.class,
        description =
            "Overrides the schedule's overlap policy for this run: ${COMPLETION-CANDIDATES}.")
    ScheduleOverlapPolicy overlap;

    @Override
    void apply(ScheduleHandle schedule, PrintWriter out) {
      optionally(overlap, schedule::trigger, schedule::trigger);
      out.println("triggered schedule " + id);
    }
  }

  /** {@code schedule backfill ID --from T1 --to T2}: the runs that would have fired in between. */
  @Command(
      name = "backfill",
      description = {
        "Start the runs the schedule would have started between --from and --to.",
        "Each has its own scheduled time as logical date; re-runs of finished windows overwrite",
        "their outputs."
      },
      mixinStandardHelpOptions = true)
  static final class Backfill extends ScheduleIdCommand {
    @Option(
        names = "--from",
        required = true,
        paramLabel = "WHEN",
        converter = InstantConverter.class,
        description = "Start of the range (ISO instant, or a date meaning its 00:00 UTC).")
    Instant from;

    @Option(
        names = "--to",
        required = true,
        paramLabel = "WHEN",
        converter = InstantConverter.class,
        description = "End of the range (ISO instant, or a date meaning its 00:00 UTC).")
    Instant to;

    @Option(
        names = "--overlap",
        paramLabel = "POLICY",
        converter = ScheduleFlags.OverlapConverter.class,
        completionCandidates = ScheduleFlags.OverlapNames.class,
        description =
            "Overlap policy for these runs (default: the schedule's): ${COMPLETION-CANDIDATES}.")
    ScheduleOverlapPolicy overlap;

    @Override
    public Integer call() {
      if (!from.isBefore(to)) {
        err().println("--from (" + from + ") must be before --to (" + to + ")");
        return ExitCodes.INVALID_INPUT;
      }
      return super.call();
    }

    @Override
    void apply(ScheduleHandle schedule, PrintWriter out) {
      schedule.backfill(List.of(backfill(from, to, overlap)));
      out.println("backfill of schedule " + id + " from " + from + " to " + to + " requested");
    }

    /** The backfill request; without an overlap policy the schedule's own applies. */
    static ScheduleBackfill backfill(Instant from, Instant to, ScheduleOverlapPolicy overlap) {
      return overlap == null
          ? new ScheduleBackfill(from, to)
          : new ScheduleBackfill(from, to, overlap);
    }
  }

  /** {@code schedule delete ID}: runs already started go on. */
  @Command(
      name = "delete",
      description = "Delete a schedule; runs it already started are not affected.",
      mixinStandardHelpOptions = true)
  static final class Delete extends ScheduleIdCommand {
    @Override
    void apply(ScheduleHandle schedule, PrintWriter out) {
      schedule.delete();
      out.println("deleted schedule " + id);
    }
  }

  /** {@code withValue} given a value, {@code without} when the flag was not given. */
  static <T> void optionally(T value, Runnable without, Consumer<T> withValue) {
    if (value == null) {
      without.run();
    } else {
      withValue.accept(value);
    }
  }

  /** {@code cron '0 2 * * *'}, {@code every PT1H}, or both lists joined. */
  static String when(ScheduleSpec spec) {
    List<String> parts = new java.util.ArrayList<>();
    spec.getCronExpressions().forEach(c -> parts.add("cron '" + c + "'"));
    spec.getIntervals().forEach(i -> parts.add("every " + i.getEvery()));
    if (!spec.getCalendars().isEmpty()) {
      // The server returns cron expressions as calendars; count rather than re-render them.
      parts.add(spec.getCalendars().size() + " calendar spec(s)");
    }
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }

  /** An ISO instant, or an ISO date meaning its start in UTC. */
  static final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException notInstant) {
        try {
          return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notDate) {
          throw new CommandLine.TypeConversionException(
              "'"
                  + value
                  + "' is neither an ISO-8601 instant (2026-11-22T00:00:00Z) nor a date"
                  + " (2026-11-22)");
        }
      }
    }
  }
}
