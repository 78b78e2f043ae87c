package dev.sluice.workflows.workunits;

import dev.sluice.pipeline.LakeTable;
import dev.sluice.workflows.activities.RunKeys;
import java.nio.charset.StandardCharsets;

/**
 * Where work units keep their rows and state. Plain string work (workflow code calls it): a unit's
 * rows land in the Hive-style partition {@code <table>/<partition>=<value>/}, readable as one table
 * by DuckDB ({@code hive_partitioning}) or Spark, and the partition keeps its own {@code _sluice/}
 * (watermark, receipts, staging) as any table does.
 */
public final class UnitPaths {
  private UnitPaths() {}

  /**
   * A unit value made safe as a path segment: letters, digits, {@code .}, {@code -} and {@code _}
   * are kept; every other character becomes {@code %XX} per UTF-8 byte, as Hive escapes partition
   * values ({@code a/b} → {@code a%2Fb}). Distinct values stay distinct.
   */
  public static String escape(String value) {
    StringBuilder b = new StringBuilder(value.length());
    for (byte x : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (x & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '.'
          || c == '-'
          || c == '_') {
        b.append(c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xf, 16)));
        b.append(Character.toUpperCase(Character.forDigit(x & 0xf, 16)));
      }
    }
    return b.toString();
  }

  /** {@code <table>/<partition>=<escaped value>}: the unit's own table directory. */
  public static String partition(String tablePath, String partitionColumn, String value) {
    return trimSlash(tablePath) + "/" + partitionColumn + "=" + escape(value);
  }

  /** {@code <table>/_sluice/units}: the unit store. */
  public static String store(LakeTable table) {
    return RunKeys.stateDir(table) + "/units";
  }

  /** A unit's state file. */
  public static String state(LakeTable table, String value) {
    return store(table) + "/state/" + escape(value) + ".json";
  }

  /**
   * The plan of one run of a window: keyed by the run's first Temporal run ID too, so a later run
   * of the same window plans afresh while a retry of this one rewrites the same file.
   */
  public static String plan(LakeTable table, String runKey, String firstRunId) {
    return store(table) + "/plans/" + runKey + "/" + firstRunId + ".json";
  }

  /** The report of every unit a run took, beside its plan. */
  public static String report(String planUri) {
    return planUri.substring(0, planUri.length() - ".json".length()) + ".report.json";
  }

  private static String trimSlash(String p) {
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
