package dev.sluice.sandbox;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The emulated Contact table. Row {@code i} is a pure function of the seed and {@code i}, so tests
 * compute the rows they expect and pages are generated on demand instead of held in memory.
 *
 * <p>Values are the strings a CSV reader yields ({@code null} for SQL null). The data is hostile on
 * purpose: non-ASCII names and emoji, titles with commas and quotes, multi-line descriptions, nulls
 * next to empty strings. {@code CreatedDate} and {@code SystemModstamp} rise by one second per row,
 * so an incremental filter selects an exact suffix of the table.
 */
public final class ContactData {

  /** The Contact fields in result-column order. */
  public static final List<String> FIELDS = List.of(
      "Id", "FirstName", "LastName", "Email", "Phone", "Title", "Description", "AnnualRevenue",
      "NumberOfEmployees", "HasOptedOutOfEmail", "Birthdate", "CreatedDate", "SystemModstamp");

  /** {@code SystemModstamp} of row 0; row {@code i} is {@link #STEP} × i later. */
  public static final Instant FIRST_MODSTAMP = Instant.parse("2026-01-01T00:00:00Z");

  /** {@code CreatedDate} of row 0; row {@code i} is {@link #STEP} × i later. */
  public static final Instant FIRST_CREATED = Instant.parse("2025-01-01T00:00:00Z");

  /** Time between consecutive rows' timestamps. */
  public static final Duration STEP = Duration.ofSeconds(1);

  private static final DateTimeFormatter DATETIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final String[] FIRST_NAMES = {
    "Anna", "Ödön", "Zoë", "李", "José", "Renée", "Søren", "Mary-Jane", "Łukasz", "Aoife", "Max 🚀",
    "Ngozi"
  };
  private static final String[] LAST_NAMES = {
    "Smith", "Müller", "O'Brien", "王", "Nguyễn", "Ødegård", "García", "Kowalski", "van der Berg",
    "Ivanov"
  };
  private static final String[] TITLES = {
    "Engineer", "VP, Sales", "Director, \"Ops\", EMEA", "\"Chief\" Executive", "Head of Data",
    "Manager"
  };

  private ContactData() {}

  /** Rows {@code [fromInclusive, toExclusive)} generated with {@code seed}, as field → value maps. */
  public static List<Map<String, String>> rows(long seed, int fromInclusive, int toExclusive) {
    List<Map<String, String>> rows = new ArrayList<>(Math.max(0, toExclusive - fromInclusive));
    for (int i = fromInclusive; i < toExclusive; i++) {
      rows.add(row(seed, i));
    }
    return rows;
  }

  /** Row {@code index} generated with {@code seed}; iteration order is {@link #FIELDS}. */
  public static Map<String, String> row(long seed, int index) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    Map<String, String> row = new LinkedHashMap<>();
    row.put("Id", SalesforceIds.of("003", index));
    row.put("FirstName", pick(random, FIRST_NAMES));
    row.put("LastName", pick(random, LAST_NAMES));
    row.put("Email", "contact" + index + "@example.com");
    row.put("Phone", random.nextInt(5) == 0 ? null
        : "+1-555-" + (100 + random.nextInt(900)) + "-" + (1000 + random.nextInt(9000)));
    row.put("Title", pick(random, TITLES));
    row.put("Description", description(random, index));
    row.put("AnnualRevenue", random.nextInt(4) == 0 ? null
        : BigDecimal.valueOf(random.nextLong(10_000_000_000L), 2).toPlainString());
    row.put("NumberOfEmployees", Integer.toString(1 + random.nextInt(100_000)));
    row.put("HasOptedOutOfEmail", Boolean.toString(random.nextBoolean()));
    row.put("Birthdate", random.nextInt(3) == 0 ? null
        : LocalDate.of(1950, 1, 1).plusDays(random.nextInt(20_000)).toString());
    row.put("CreatedDate", DATETIME.format(FIRST_CREATED.plus(STEP.multipliedBy(index))));
    row.put("SystemModstamp", DATETIME.format(FIRST_MODSTAMP.plus(STEP.multipliedBy(index))));
    return Collections.unmodifiableMap(row);
  }

  /**
   * The first row index whose {@code field} ({@code SystemModstamp} or {@code CreatedDate}) is
   * after {@code instant}, or at it when {@code inclusive}; may exceed the table size.
   */
  static long firstIndexAfter(String field, Instant instant, boolean inclusive) {
    Instant first = field.equals("CreatedDate") ? FIRST_CREATED : FIRST_MODSTAMP;
    long delta = Duration.between(first, instant).toMillis();
    long step = STEP.toMillis();
    if (inclusive) {
      return delta <= 0 ? 0 : -Math.floorDiv(-delta, step);
    }
    return delta < 0 ? 0 : Math.floorDiv(delta, step) + 1;
  }

  private static String description(SplittableRandom random, int index) {
    return switch (random.nextInt(10)) {
      case 0, 1 -> null;
      case 2 -> "";
      case 3 -> "Met at the \"Data, Now\" expo.\nFollow up: call, then email.";
      case 4 -> "Account #" + index + ", renewal due.\r\nSaid: \"ship it\"";
      default -> "Customer since " + (2000 + random.nextInt(26));
    };
  }

  private static String pick(SplittableRandom random, String[] values) {
    return values[random.nextInt(values.length)];
  }
}
