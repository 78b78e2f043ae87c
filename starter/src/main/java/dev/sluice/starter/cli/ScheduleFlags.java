package dev.sluice.starter.cli;

import dev.sluice.starter.spec.Durations;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * When a schedule fires and what it does about overlaps and missed times: the flags shared by
 * {@code schedule create} and {@code schedule update}. Every flag is null when not given, so an
 * update keeps what the schedule had and a create leaves Temporal's defaults.
 */
public final class ScheduleFlags {

  /** Exactly one way of saying when (required by create, optional for update). */
  static final class When {
    @Option(
        names = "--cron",
        paramLabel = "EXPR",
        description =
            "Cron expression in UTC, e.g. '0 2 * * *' (02:00 every day), or @daily, @hourly.")
    String cron;

    @Option(
        names = "--every",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        description =
            "Fixed interval from the Unix epoch, e.g. 1h, 15m, 1d (as durations in pipelines).")
    Duration every;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  When when;

  @Option(
      names = "--overlap",
      paramLabel = "POLICY",
      converter = OverlapConverter.class,
      completionCandidates = OverlapNames.class,
      description = {
        "What to do when a run is due while the previous one is still running:",
        "${COMPLETION-CANDIDATES} (Temporal's default: skip)."
      })
  ScheduleOverlapPolicy overlap;

  @Option(
      names = "--catchup-window",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How late a missed run may still start after an outage (Temporal's default: 1 year).")
  Duration catchupWindow;

  @Option(
      names = "--jitter",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Delay each run by a random amount up to this, to spread load; the logical date is the"
              + " unjittered time.")
  Duration jitter;

  @Option(
      names = "--pause-on-failure",
      negatable = true,
      description =
          "Pause the schedule when one of its runs fails, so later windows wait until someone has"
              + " looked (Temporal's default: keep starting them). For update:"
              + " --no-pause-on-failure turns it off.")
  Boolean pauseOnFailure;

  @Option(names = "--paused", description = "Create the schedule paused (for update: pause it).")
  Boolean paused;

  @Option(
      names = "--note",
      paramLabel = "TEXT",
      description = "A note shown with the schedule's state.")
  String note;

  /** The cron expression, or null. */
  String cron() {
    return when == null ? null : when.cron;
  }

  /** The interval, or null. */
  Duration every() {
    return when == null ? null : when.every;
  }

  /** The overlap names users type, and the policy each stands for. */
  enum Overlap {
    SKIP(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP),
    BUFFER_ONE(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE),
    BUFFER_ALL(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ALL),
    CANCEL_OTHER(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_CANCEL_OTHER),
    TERMINATE_OTHER(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_TERMINATE_OTHER),
    ALLOW_ALL(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL);

    final ScheduleOverlapPolicy policy;

    Overlap(ScheduleOverlapPolicy policy) {
      this.policy = policy;
    }

    /** {@code buffer-one} for {@code BUFFER_ONE}. */
    String flag() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The flag name of {@code policy}, e.g. for {@code describe}; the enum name if unknown. */
    static String flagOf(ScheduleOverlapPolicy policy) {
      for (Overlap o : values()) {
        if (o.policy == policy) {
          return o.flag();
        }
      }
      return policy == null ? "unspecified" : policy.name();
    }
  }

  /** {@code skip} → {@code SCHEDULE_OVERLAP_POLICY_SKIP}, and so on. */
  static final class OverlapConverter implements ITypeConverter<ScheduleOverlapPolicy> {
    @Override
    public ScheduleOverlapPolicy convert(String value) {
      for (Overlap o : Overlap.values()) {
        if (o.flag().equals(value)) {
          return o.policy;
        }
      }
      throw new IllegalArgumentException(
          "'" + value + "' is not one of " + String.join(", ", new OverlapNames()));
    }
  }

  /** The names {@code --overlap} takes, for help and completion. */
  static final class OverlapNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(Overlap.values()).map(Overlap::flag).iterator();
    }
  }

  /** Durations as pipeline files write them ({@link Durations#parse}); zero or less is refused. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = Durations.parse(value);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("'" + value + "' must be longer than zero");
      }
      return d;
    }
  }
}
