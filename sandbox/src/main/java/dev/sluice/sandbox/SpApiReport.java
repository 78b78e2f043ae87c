package dev.sluice.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One Selling Partner API report (Reports API 2021-06-30): queued on creation, in progress from its
 * second {@code getReport}, and finished on the {@code pollsBeforeDone}-th one (once {@code
 * processingDelay} has also passed) with the outcome the knobs named then.
 */
final class SpApiReport {

  /** {@code processingStatus} values, as the Reports API names them. */
  enum Status {
    IN_QUEUE,
    IN_PROGRESS,
    DONE,
    CANCELLED,
    FATAL;

    boolean finished() {
      return this == DONE || this == CANCELLED || this == FATAL;
    }
  }

  /** When and how reports finish: read from the knobs on each poll. */
  record Processing(int pollsBeforeDone, Duration delay, Status outcome) {}

  // A flat-file order report is tab-separated text with a header line, as the GET_FLAT_FILE_*
  // report types are.
  static final String HEADER =
      "amazon-order-id\tpurchase-date\tsku\tquantity\titem-price\tcurrency";
  private static final Instant DEFAULT_START = Instant.parse("2026-11-01T00:00:00Z");

  private final String id;
  private final String reportType;
  private final List<String> marketplaceIds;
  private final Instant dataStart;
  private final Instant dataEnd;
  private final Instant createdTime;
  private Status status = Status.IN_QUEUE;
  private int polls;
  private Instant processingStart;
  private Instant processingEnd;
  private String documentId;

  SpApiReport(
      String id,
      String reportType,
      List<String> marketplaceIds,
      Instant dataStart,
      Instant dataEnd,
      Instant createdTime) {
    this.id = id;
    this.reportType = reportType;
    this.marketplaceIds = List.copyOf(marketplaceIds);
    this.dataStart = dataStart;
    this.dataEnd = dataEnd;
    this.createdTime = createdTime;
  }

  String id() {
    return id;
  }

  synchronized Status status() {
    return status;
  }

  /**
   * Counts a {@code getReport} and moves the report on.
   *
   * @return true when this poll finished it (the caller then stores its document)
   */
  synchronized boolean poll(Processing processing, Instant now) {
    polls++;
    if (status.finished()) {
      return false;
    }
    boolean due =
        polls >= processing.pollsBeforeDone()
            && !now.isBefore(createdTime.plus(processing.delay()));
    if (processingStart == null && (polls > 1 || due)) {
      processingStart = now;
      status = Status.IN_PROGRESS;
    }
    if (!due) {
      return false;
    }
    status = processing.outcome();
    processingEnd = now;
    return true;
  }

  /** Sets the document of a finished report (DONE, or FATAL with an explanation). */
  synchronized void documentId(String documentId) {
    this.documentId = documentId;
  }

  /**
   * Cancels a report that has not started, as {@code cancelReport} does.
   *
   * @return false when it is no longer {@code IN_QUEUE}
   */
  synchronized boolean cancel(Instant now) {
    if (status != Status.IN_QUEUE) {
      return false;
    }
    status = Status.CANCELLED;
    processingEnd = now;
    return true;
  }

  /** The {@code Report} object of {@code getReport}. */
  synchronized ObjectNode json() {
    ObjectNode report = Json.object();
    ArrayNode marketplaces = report.putArray("marketplaceIds");
    marketplaceIds.forEach(marketplaces::add);
    report.put("reportId", id).put("reportType", reportType);
    putTime(report, "dataStartTime", dataStart);
    putTime(report, "dataEndTime", dataEnd);
    putTime(report, "createdTime", createdTime);
    report.put("processingStatus", status.name());
    putTime(report, "processingStartTime", processingStart);
    putTime(report, "processingEndTime", processingEnd);
    if (documentId != null) {
      report.put("reportDocumentId", documentId);
    }
    return report;
  }

  /**
   * The report's content: {@code rows} order lines after {@link #HEADER}, a minute apart from the
   * data start time (1 November 2026 when none was asked), values derived from {@code seed} and the
   * line number only, so a test recomputes them with {@link #line}.
   */
  byte[] content(long seed, int rows) {
    StringBuilder text = new StringBuilder(64 * (rows + 1)).append(HEADER).append('\n');
    for (int i = 0; i < rows; i++) {
      text.append(line(seed, dataStart == null ? DEFAULT_START : dataStart, i)).append('\n');
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Line {@code index} (from 0) of a report whose data starts at {@code start}. */
  static String line(long seed, Instant start, int index) {
    long x = Seeded.mix(seed, index);
    return String.format(
        "%03d-%07d-%07d\t%s\tSKU-%04d\t%d\t%d.%02d\tUSD",
        100 + Math.floorMod(x, 900),
        Math.floorMod(x >>> 10, 10_000_000),
        index,
        start.plus(index, ChronoUnit.MINUTES),
        Seeded.below(500, seed, index, 1),
        1 + Seeded.below(5, seed, index, 2),
        1 + Seeded.below(300, seed, index, 3),
        Seeded.below(100, seed, index, 4));
  }

  private static void putTime(ObjectNode node, String field, Instant time) {
    if (time != null) {
      node.put(field, time.toString());
    }
  }
}
