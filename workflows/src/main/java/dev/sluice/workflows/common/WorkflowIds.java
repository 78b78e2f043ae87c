package dev.sluice.workflows.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Every workflow ID Sluice derives, in one place. Each is deterministic and readable at a glance,
 * so starting the same thing twice finds the run already there instead of starting a second one,
 * and outputs written at paths derived from an ID are overwritten by a retry, never duplicated.
 * These strings are in running workflows and recorded histories: a change here is a change of
 * identity for every run.
 */
public final class WorkflowIds {
  /** Hex characters of the URI's SHA-256 kept in a file ingestion's ID: 64 bits. */
  private static final int HASH_CHARS = 16;

  private WorkflowIds() {}

  /** {@code ingest/<pipeline>/<logical-date>}: one run per window of a pipeline. */
  public static String ingest(String pipeline, String logicalDate) {
    return "ingest/" + pipeline + "/" + logicalDate;
  }

  /** {@code <parent ID>/unit=<value>}: the child workflow of one work unit. */
  public static String unit(String parentWindowId, String unit) {
    return parentWindowId + "/unit=" + unit;
  }

  /** {@code replay/<pipeline>/<from>/<to>}: one replay per pipeline and range. */
  public static String replay(String pipeline, String from, String to) {
    return "replay/" + pipeline + "/" + from + "/" + to;
  }

  /** {@code window/<route>}: one running batch window per route. */
  public static String window(String route) {
    return "window/" + route;
  }

  /** {@code egress/<label>}: one egress per label, so starting it twice cannot make two batches. */
  public static String egress(String label) {
    return "egress/" + label;
  }

  /**
   * {@code table-maintenance/<pipeline>}: the schedule that maintains a pipeline's Iceberg table,
   * and its runs' ID base (the schedule appends the scheduled time to each run's).
   */
  public static String tableMaintenance(String pipeline) {
    return "table-maintenance/" + pipeline;
  }

  /**
   * {@code file/<dataset>/<first 16 hex of sha-256(uri)>}: the same file asked for twice into the
   * same dataset is the same workflow, so a request already queued or running is not started again.
   * The URI is hashed, not embedded: it may be long and carry characters (and query strings) that
   * have no place in an ID or a file name.
   */
  public static String fileIngest(String dataset, String uri) {
    return "file/" + dataset + "/" + uriHash(uri);
  }

  /** The first 16 hex characters of the SHA-256 of {@code uri} (UTF-8). */
  public static String uriHash(String uri) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(uri.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
