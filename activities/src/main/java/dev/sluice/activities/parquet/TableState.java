package dev.sluice.activities.parquet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.pipeline.LakeTable;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What Sluice keeps beside a table under {@code _sluice/}, read for people ({@code sluice state
 * show}), and the one repair it offers ({@code sluice state reset}). Reads and writes through the
 * same stores the activities use, so the formats live in one place.
 */
public final class TableState {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final HadoopFiles files;
  private final Clock clock;
  private final WatermarkStore watermarks;
  private final WindowLedger ledger;

  public TableState(HadoopFiles files, Clock clock) {
    this.files = files;
    this.clock = clock;
    this.watermarks = new WatermarkStore(files, clock);
    this.ledger = new WindowLedger(files, clock);
  }

  /**
   * The table's state.
   *
   * @param table the table's path
   * @param watermark the stored watermark, or null
   * @param windows every committed window with its range, rows, files and run, in key order
   * @param leases the runs holding a window or the table's head now (or that died holding them)
   * @param openReceipts provider jobs submitted by runs that have not committed their window since
   * @param sentBatches platform batches recorded as sent, by window
   * @param resets earlier {@code sluice state reset}s, oldest first
   */
  public record Snapshot(
      String table,
      Watermark watermark,
      List<WindowRange> windows,
      List<Lease> leases,
      List<Receipt> openReceipts,
      List<SentBatch> sentBatches,
      List<Reset> resets) {}

  /**
   * @param column the watermark column (or the platform source's position label)
   * @param value the highest published value
   * @param publishedBy the run key that stored it, or the reset that did
   * @param publishedAt when
   */
  public record Watermark(String column, String value, String publishedBy, String publishedAt) {}

  /**
   * @param name {@code head} or {@code window-<key>}
   * @param workflowId the holder's workflow
   * @param firstRunId the holder's first run
   * @param window the window it runs
   * @param claimedAt when it claimed
   */
  public record Lease(
      String name, String workflowId, String firstRunId, String window, String claimedAt) {}

  /**
   * @param window the window's key
   * @param temporalRunId the run that submitted
   * @param requestId the provider's job ID
   * @param submittedAt when
   */
  public record Receipt(
      String window, String temporalRunId, String requestId, String submittedAt) {}

  /**
   * @param window the window's key
   * @param record the sent-batch record as stored
   */
  public record SentBatch(String window, JsonNode record) {}

  /**
   * @param from the watermark before
   * @param to the watermark after
   * @param by who asked (the operating-system user)
   * @param at when
   */
  public record Reset(String from, String to, String by, String at) {}

  /** Reads everything; missing parts are empty. */
  public Snapshot read(LakeTable table) {
    Optional<WatermarkStore.Watermark> stored = watermarks.read(table);
    java.util.Map<String, WindowRange> byKey = ledger.rangesByKey(table);
    List<WindowRange> windows = new ArrayList<>(byKey.values());
    List<Lease> leases = new ArrayList<>();
    for (String name : names(dir(table, "leases"), ".json")) {
      String id = name.equals(WindowLedger.HEAD) ? WindowLedger.HEAD : stripPrefix(name);
      ledger
          .lease(table, id)
          .ifPresent(
              l ->
                  leases.add(
                      new Lease(name, l.workflowId(), l.firstRunId(), l.window(), l.claimedAt())));
    }
    List<Receipt> receipts = new ArrayList<>();
    for (String window : directories(dir(table, "jobs"))) {
      Optional<WindowRange> committed = Optional.ofNullable(byKey.get(window));
      for (String run : names(dir(table, "jobs") + "/" + window, ".json")) {
        JsonNode receipt = readJson(dir(table, "jobs") + "/" + window + "/" + run + ".json");
        String submittedAt = receipt.path("submittedAt").asText(null);
        boolean open =
            committed.isEmpty()
                || submittedAt == null
                || committed.get().committedAt() == null
                || committed.get().committedAt().compareTo(submittedAt) < 0;
        if (open) {
          receipts.add(
              new Receipt(window, run, receipt.path("requestId").asText(null), submittedAt));
        }
      }
    }
    List<SentBatch> sent = new ArrayList<>();
    for (String window : names(dir(table, "batches"), ".json")) {
      sent.add(new SentBatch(window, readJson(dir(table, "batches") + "/" + window + ".json")));
    }
    List<Reset> resets = new ArrayList<>();
    for (String name : names(dir(table, "resets"), ".json")) {
      resets.add(parse(readJson(dir(table, "resets") + "/" + name + ".json"), Reset.class));
    }
    return new Snapshot(
        table.path(),
        stored
            .map(w -> new Watermark(w.column(), w.value(), w.publishedBy(), w.publishedAt()))
            .orElse(null),
        windows,
        leases,
        receipts,
        sent,
        resets);
  }

  /**
   * Why {@code value} cannot be the new watermark now, or empty when it can: a run holding the
   * table's head (it would store its own watermark over the reset), or committed windows whose
   * ranges reach above {@code value} (new windows would read their rows again).
   */
  public Optional<String> resetRefusal(Snapshot state, String value) {
    for (Lease lease : state.leases()) {
      if (lease.name().equals(WindowLedger.HEAD)) {
        return Optional.of(
            "run "
                + lease.workflowId()
                + " holds the table's newest range (window "
                + lease.window()
                + ", since "
                + lease.claimedAt()
                + "); wait for it or cancel it (`sluice cancel "
                + lease.workflowId()
                + "`) first");
      }
    }
    // The column's type is not known here: compare as the windows recorded them, when both are
    // numbers or ISO-8601 texts of one shape; otherwise refuse rather than guess.
    List<String> above = new ArrayList<>();
    for (WindowRange w : state.windows()) {
      if (w.to() != null && w.from() != null && !w.to().equals(w.from())) {
        int cmp = compare(w.to(), value);
        if (cmp > 0 || cmp == Integer.MIN_VALUE) {
          above.add(w.window() + " (" + w.from() + ", " + w.to() + "]");
        }
      }
    }
    if (!above.isEmpty()) {
      return Optional.of(
          "committed windows own rows above "
              + value
              + ": "
              + String.join(", ", above)
              + "; new windows would read those rows again. Re-run those windows instead (`sluice"
              + " run FILE --logical-date …` reads exactly their range), or delete their files and"
              + " their records under _sluice/windows/ first");
    }
    return Optional.empty();
  }

  /**
   * Stores {@code value} as the table's watermark and records the reset ({@code
   * _sluice/resets/<time>.json}) before it, so a reset is never silent.
   *
   * @return the reset recorded
   */
  public Reset reset(LakeTable table, Snapshot state, String value, String column, String by) {
    String at = clock.instant().toString();
    Reset reset =
        new Reset(state.watermark() == null ? null : state.watermark().value(), value, by, at);
    try {
      files.writeStringAtomically(
          dir(table, "resets") + "/" + at.replace(':', '-') + ".json",
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(reset));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render " + reset, e);
    }
    String col =
        column != null
            ? column
            : state.watermark() == null ? null : state.watermark().column();
    watermarks.write(table, col, value, "reset by " + by + " at " + at);
    return reset;
  }

  /**
   * Orders two watermark texts: numerically when both are numbers, else as text when both have the
   * same length (ISO-8601 instants of one format, {@code <created>/<batchId>} positions of one
   * width); {@link Integer#MIN_VALUE} when they cannot be compared.
   */
  static int compare(String a, String b) {
    try {
      return new java.math.BigDecimal(a).compareTo(new java.math.BigDecimal(b));
    } catch (NumberFormatException e) {
      // not numbers
    }
    java.time.Instant ia = instant(a);
    java.time.Instant ib = instant(b);
    if (ia != null && ib != null) {
      return ia.compareTo(ib);
    }
    return a.length() == b.length() ? Integer.signum(a.compareTo(b)) : Integer.MIN_VALUE;
  }

  private static java.time.Instant instant(String s) {
    try {
      return java.time.OffsetDateTime.parse(s).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(
                s, java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ"))
            .toInstant();
      } catch (java.time.format.DateTimeParseException e2) {
        return null;
      }
    }
  }

  private String dir(LakeTable table, String name) {
    return RunKeys.stateDir(table) + "/" + name;
  }

  private static String stripPrefix(String leaseName) {
    return leaseName.startsWith("window-") ? leaseName.substring("window-".length()) : leaseName;
  }

  private List<String> names(String dir, String suffix) {
    List<String> out = new ArrayList<>();
    for (FileStatus s : list(dir)) {
      String name = s.getPath().getName();
      if (s.isFile() && name.endsWith(suffix) && !name.startsWith(".")) {
        out.add(name.substring(0, name.length() - suffix.length()));
      }
    }
    return out;
  }

  private List<String> directories(String dir) {
    List<String> out = new ArrayList<>();
    for (FileStatus s : list(dir)) {
      if (s.isDirectory()) {
        out.add(s.getPath().getName());
      }
    }
    return out;
  }

  private List<FileStatus> list(String dir) {
    FileSystem fs = files.fs(dir);
    try {
      Path path = new Path(dir);
      if (!fs.exists(path)) {
        return List.of();
      }
      List<FileStatus> listed = new ArrayList<>(List.of(fs.listStatus(path)));
      listed.sort(Comparator.comparing(s -> s.getPath().getName()));
      return listed;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private JsonNode readJson(String uri) {
    String text = files.readString(uri).orElse("{}");
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(
          uri + " is not valid JSON (repair or delete it): " + e.getOriginalMessage(), e);
    }
  }

  private static <T> T parse(JsonNode node, Class<T> type) {
    try {
      return JSON.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
