package dev.sluice.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;
import java.util.List;

/**
 * A statement's result set: {@code rows} rows of an orders table (ID, NAME, AMOUNT, CREATED_AT,
 * ATTRIBUTES) split into {@code partitions} nearly equal partitions, every value a string as the
 * {@code jsonv2} format sends it. Row {@code i} (from 0) depends only on the seed and {@code i}:
 * {@link #row} recomputes it.
 */
record SnowflakeResults(long seed, int rows, int partitions) {

  private static final long FIRST_CREATED = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond();
  private static final List<String> TIERS = List.of("bronze", "silver", "gold");

  /** Clamps the partitions to 1..rows: Snowflake never sends an empty partition after the first. */
  SnowflakeResults {
    partitions = Math.max(1, Math.min(partitions, rows));
  }

  /** First row (inclusive) of partition {@code p}. */
  int firstRow(int p) {
    return (int) ((long) p * rows / partitions);
  }

  int rowCount(int p) {
    return firstRow(p + 1) - firstRow(p);
  }

  /** The {@code data} array of partition {@code p}. */
  ArrayNode data(int p) {
    ArrayNode data = Json.MAPPER.createArrayNode();
    for (int i = firstRow(p); i < firstRow(p + 1); i++) {
      ArrayNode row = data.addArray();
      row(seed, i).forEach(row::add);
    }
    return data;
  }

  /** Bytes of partition {@code p}'s {@code data} array as JSON, as {@code partitionInfo} says. */
  long uncompressedSize(int p) {
    return Json.bytes(data(p)).length;
  }

  /** Row {@code i}'s values, in {@link #rowType()} order. */
  static List<String> row(long seed, int i) {
    int cents = Seeded.below(1_000_000, seed, i);
    String attributes =
        "{\"tier\":\""
            + TIERS.get(Seeded.below(TIERS.size(), seed, i, 1))
            + "\",\"tags\":[\"t"
            + Seeded.below(10, seed, i, 2)
            + "\",\"t"
            + Seeded.below(10, seed, i, 3)
            + "\"]}";
    return List.of(
        Integer.toString(i + 1),
        "customer-" + Seeded.below(10_000, seed, i, 4),
        cents / 100 + "." + String.format("%02d", cents % 100),
        (FIRST_CREATED + i) + ".000000000",
        attributes);
  }

  /** The {@code rowType} of the result set metadata (types lower case, as the SQL API sends). */
  static ArrayNode rowType() {
    ArrayNode columns = Json.MAPPER.createArrayNode();
    column(columns, "ID", "fixed", 38, 0, false);
    column(columns, "NAME", "text", null, null, false);
    column(columns, "AMOUNT", "fixed", 12, 2, false);
    column(columns, "CREATED_AT", "timestamp_ntz", 0, 9, false);
    column(columns, "ATTRIBUTES", "object", null, null, true);
    return columns;
  }

  private static void column(
      ArrayNode columns,
      String name,
      String type,
      Integer precision,
      Integer scale,
      boolean nullable) {
    var column =
        columns
            .addObject()
            .put("name", name)
            .put("database", "SLUICE")
            .put("schema", "PUBLIC")
            .put("table", "ORDERS")
            .put("type", type)
            .put("nullable", nullable)
            .put("precision", precision)
            .put("scale", scale);
    boolean text = type.equals("text");
    column
        .put("byteLength", text ? 16_777_216 : null)
        .put("length", text ? 16_777_216 : null)
        .putNull("collation");
  }
}
