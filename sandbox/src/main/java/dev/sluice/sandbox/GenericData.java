package dev.sluice.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The {@code events} dataset of the generic export API. Row {@code i} is a pure function of the
 * seed and {@code i}, with the types a JSON reader yields: {@code id} Long (i + 1), {@code name}
 * String (non-ASCII), {@code amount} Double or null, {@code active} Boolean, {@code created_at}
 * ISO-8601 instant String, {@code note} String (commas, quotes, newlines), empty or null.
 */
public final class GenericData {

  /** The fields in record and CSV-column order. */
  public static final List<String> FIELDS =
      List.of("id", "name", "amount", "active", "created_at", "note");

  /** {@code created_at} of row 0; row {@code i} is {@link #STEP} × i later. */
  public static final Instant FIRST_CREATED = Instant.parse("2026-01-01T00:00:00Z");

  /** Time between consecutive rows' {@code created_at}. */
  public static final Duration STEP = Duration.ofMinutes(1);

  private static final String[] NAMES = {
    "Café Ω", "Zoë's launch", "東京 meetup", "naïve 🎉 party", "Ødegård, Inc.", "plain event"
  };

  private GenericData() {}

  /** Rows {@code [fromInclusive, toExclusive)} generated with {@code seed}. */
  public static List<Map<String, Object>> rows(long seed, int fromInclusive, int toExclusive) {
    List<Map<String, Object>> rows = new ArrayList<>(Math.max(0, toExclusive - fromInclusive));
    for (int i = fromInclusive; i < toExclusive; i++) {
      rows.add(row(seed, i));
    }
    return rows;
  }

  /** Row {@code index} generated with {@code seed}; iteration order is {@link #FIELDS}. */
  public static Map<String, Object> row(long seed, int index) {
    SplittableRandom random = new SplittableRandom(seed * 0xC2B2AE3D27D4EB4FL + index);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", index + 1L);
    row.put("name", NAMES[random.nextInt(NAMES.length)] + " " + index);
    // Below 10^7, so Double.toString never switches to exponent notation in CSV.
    row.put("amount", random.nextInt(5) == 0 ? null : random.nextInt(10_000_000) / 100.0);
    row.put("active", random.nextBoolean());
    row.put("created_at", FIRST_CREATED.plus(STEP.multipliedBy(index)).toString());
    row.put("note", note(random));
    return Collections.unmodifiableMap(row);
  }

  private static String note(SplittableRandom random) {
    return switch (random.nextInt(8)) {
      case 0 -> null;
      case 1 -> "";
      case 2 -> "first line\nsecond line";
      case 3 -> "said \"hello\", then left";
      case 4 -> "a, b, and c";
      default -> "ok";
    };
  }
}
