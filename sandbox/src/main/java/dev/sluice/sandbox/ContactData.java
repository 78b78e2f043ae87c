package dev.sluice.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 *
 * <p>A table may also have custom fields after the standard ones ({@link #fields}), for wide-row
 * benchmarks: {@code Text001__c}, {@code Number002__c}, {@code Amount003__c}, {@code
 * Stamp004__c}, {@code Pick005__c}, {@code Text006__c}, … in turn. Their prefix names their kind:
 * {@code Text} 1–8 words (5–88 characters, some with a comma), {@code Number} a whole number below
 * 10^10, {@code Amount} a decimal with two places below 10^6, {@code Stamp} a datetime as {@code
 * CreatedDate} writes it, {@code Pick} one of a few picklist values. About one custom value in ten
 * is null. They are a function of the seed, the row and the field, drawn apart from the standard
 * fields, which therefore do not change when custom fields are added.
 */
public final class ContactData {

  /** The Contact fields in result-column order. */
  public static final List<String> FIELDS =
      List.of(
          "Id",
          "FirstName",
          "LastName",
          "Email",
          "Phone",
          "Title",
          "Description",
          "AnnualRevenue",
          "NumberOfEmployees",
          "HasOptedOutOfEmail",
          "Birthdate",
          "CreatedDate",
          "SystemModstamp");

  /** The most custom fields a table can have ({@link #fields}). */
  public static final int MAX_CUSTOM_FIELDS = 999;

  /** {@code SystemModstamp} of row 0; row {@code i} is {@link #STEP} × i later. */
  public static final Instant FIRST_MODSTAMP = Instant.parse("2026-01-01T00:00:00Z");

  /** {@code CreatedDate} of row 0; row {@code i} is {@link #STEP} × i later. */
  public static final Instant FIRST_CREATED = Instant.parse("2025-01-01T00:00:00Z");

  /** Time between consecutive rows' timestamps. */
  public static final Duration STEP = Duration.ofSeconds(1);

  private static final DateTimeFormatter DATETIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final String[] FIRST_NAMES = {
    "Anna",
    "Ödön",
    "Zoë",
    "李",
    "José",
    "Renée",
    "Søren",
    "Mary-Jane",
    "Łukasz",
    "Aoife",
    "Max 🚀",
    "Ngozi"
  };
  private static final String[] LAST_NAMES = {
    "Smith",
    "Müller",
    "O'Brien",
    "王",
    "Nguyễn",
    "Ødegård",
    "García",
    "Kowalski",
    "van der Berg",
    "Ivanov"
  };
  private static final String[] TITLES = {
    "Engineer",
    "VP, Sales",
    "Director, \"Ops\", EMEA",
    "\"Chief\" Executive",
    "Head of Data",
    "Manager"
  };

  private static final String[] CUSTOM_KINDS = {"Text", "Number", "Amount", "Stamp", "Pick"};
  private static final String[] WORDS = {
    "renewal", "pending", "quarterly", "review", "Zürich", "partner", "enterprise", "onboarding",
    "follow-up", "budget", "approved", "regional", "pilot", "contract", "support", "upsell"
  };
  private static final String[] PICKLIST = {
    "New", "Working", "Nurturing", "Qualified", "Unqualified", "Closed - Converted"
  };

  private ContactData() {}

  /**
   * {@link #FIELDS} followed by {@code customFields} custom fields, in result-column order.
   *
   * @throws IllegalArgumentException if {@code customFields} is negative or above {@link
   *     #MAX_CUSTOM_FIELDS}
   */
  public static List<String> fields(int customFields) {
    if (customFields < 0 || customFields > MAX_CUSTOM_FIELDS) {
      throw new IllegalArgumentException(
          "custom fields must be 0 to " + MAX_CUSTOM_FIELDS + ", got " + customFields);
    }
    List<String> fields = new ArrayList<>(FIELDS);
    for (int k = 1; k <= customFields; k++) {
      String kind = CUSTOM_KINDS[(k - 1) % CUSTOM_KINDS.length];
      fields.add(String.format(Locale.ROOT, "%s%03d__c", kind, k));
    }
    return List.copyOf(fields);
  }

  /**
   * Rows {@code [fromInclusive, toExclusive)} with {@code customFields} custom fields, as field →
   * value maps in {@link #fields} order.
   */
  public static List<Map<String, String>> rows(
      long seed, int fromInclusive, int toExclusive, int customFields) {
    List<String> fields = fields(customFields);
    List<Map<String, String>> rows = new ArrayList<>(Math.max(0, toExclusive - fromInclusive));
    Cursor cursor = new Cursor(seed);
    StringBuilder value = new StringBuilder(64);
    for (int i = fromInclusive; i < toExclusive; i++) {
      rows.add(cursor.moveTo(i).toMap(fields, value));
    }
    return rows;
  }

  /**
   * Rows {@code [fromInclusive, toExclusive)} generated with {@code seed}, as field → value maps.
   */
  public static List<Map<String, String>> rows(long seed, int fromInclusive, int toExclusive) {
    return rows(seed, fromInclusive, toExclusive, 0);
  }

  /** Row {@code index} generated with {@code seed}; iteration order is {@link #FIELDS}. */
  public static Map<String, String> row(long seed, int index) {
    return new Cursor(seed).moveTo(index).toMap(FIELDS, new StringBuilder(64));
  }

  /**
   * The position of {@code field} in {@code fields} (a {@link #fields} list).
   *
   * @throws IllegalArgumentException if it is not one of them
   */
  static int fieldIndex(List<String> fields, String field) {
    int position = fields.indexOf(field);
    if (position < 0) {
      throw new IllegalArgumentException("not a Contact field: " + field);
    }
    return position;
  }

  /**
   * A reusable position in the table: {@link #moveTo} draws row {@code i}'s random values as
   * primitives, {@link #appendValue} formats one field into a caller's buffer. A page of a million
   * rows is then written without a map, a formatter or a string per value; {@link #row} formats
   * through the same code, so the maps and the served CSV cannot disagree.
   */
  static final class Cursor {

    private static final int NULL = -1;
    private static final long FIRST_CREATED_MILLIS = FIRST_CREATED.toEpochMilli();
    private static final long FIRST_MODSTAMP_MILLIS = FIRST_MODSTAMP.toEpochMilli();
    private static final long STEP_MILLIS = STEP.toMillis();
    private static final long FIRST_BIRTHDATE_DAY = LocalDate.of(1950, 1, 1).toEpochDay();
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private static final long STAMP_SPAN_SECONDS = 5 * 365 * 86_400L;

    private final long seed;
    private long rowKey;
    private int index;
    private int firstName;
    private int lastName;
    private int phoneExchange;
    private int phoneLine;
    private int title;
    private int descriptionKind;
    private int descriptionYear;
    private long annualRevenueCents;
    private int employees;
    private boolean optedOut;
    private int birthdateOffset;

    Cursor(long seed) {
      this.seed = seed;
    }

    /**
     * Draws row {@code index}. The draws, their order and their bounds are the table's definition:
     * changing any of them changes every row after it, and the rows tests and Parquet files expect.
     */
    Cursor moveTo(int index) {
      rowKey = seed * 0x9E3779B97F4A7C15L + index;
      SplittableRandom random = new SplittableRandom(rowKey);
      this.index = index;
      firstName = random.nextInt(FIRST_NAMES.length);
      lastName = random.nextInt(LAST_NAMES.length);
      if (random.nextInt(5) == 0) {
        phoneExchange = NULL;
      } else {
        phoneExchange = 100 + random.nextInt(900);
        phoneLine = 1000 + random.nextInt(9000);
      }
      title = random.nextInt(TITLES.length);
      descriptionKind = random.nextInt(10);
      if (descriptionKind >= 5) {
        descriptionYear = 2000 + random.nextInt(26);
      }
      annualRevenueCents = random.nextInt(4) == 0 ? NULL : random.nextLong(10_000_000_000L);
      employees = 1 + random.nextInt(100_000);
      optedOut = random.nextBoolean();
      birthdateOffset = random.nextInt(3) == 0 ? NULL : random.nextInt(20_000);
      return this;
    }

    /**
     * Appends the value of field {@code field} (a position in {@link #FIELDS}) of the current row
     * to {@code out}.
     *
     * @return {@code false}, having appended nothing, when the value is SQL null
     */
    boolean appendValue(int field, StringBuilder out) {
      switch (field) {
        case 0 -> SalesforceIds.append(out, "003", index);
        case 1 -> out.append(FIRST_NAMES[firstName]);
        case 2 -> out.append(LAST_NAMES[lastName]);
        case 3 -> out.append("contact").append(index).append("@example.com");
        case 4 -> {
          if (phoneExchange == NULL) {
            return false;
          }
          out.append("+1-555-").append(phoneExchange).append('-').append(phoneLine);
        }
        case 5 -> out.append(TITLES[title]);
        case 6 -> {
          return appendDescription(out);
        }
        case 7 -> {
          if (annualRevenueCents == NULL) {
            return false;
          }
          // BigDecimal.valueOf(cents, 2).toPlainString() for 0 <= cents, without the BigDecimal.
          out.append(annualRevenueCents / 100).append('.');
          appendPadded(out, (int) (annualRevenueCents % 100), 2);
        }
        case 8 -> out.append(employees);
        case 9 -> out.append(optedOut);
        case 10 -> {
          if (birthdateOffset == NULL) {
            return false;
          }
          appendDate(out, FIRST_BIRTHDATE_DAY + birthdateOffset);
        }
        case 11 -> appendTimestamp(out, FIRST_CREATED_MILLIS + STEP_MILLIS * index);
        case 12 -> appendTimestamp(out, FIRST_MODSTAMP_MILLIS + STEP_MILLIS * index);
        default -> {
          if (field < FIELDS.size() || field >= FIELDS.size() + MAX_CUSTOM_FIELDS) {
            throw new IllegalArgumentException("no Contact field at position " + field);
          }
          return appendCustom(field - FIELDS.size(), out);
        }
      }
      return true;
    }

    Map<String, String> toMap(List<String> fields, StringBuilder value) {
      Map<String, String> row = new LinkedHashMap<>();
      for (int field = 0; field < fields.size(); field++) {
        value.setLength(0);
        row.put(fields.get(field), appendValue(field, value) ? value.toString() : null);
      }
      return Collections.unmodifiableMap(row);
    }

    /**
     * Custom field {@code k} (0-based) of the current row, from a hash of the row and {@code k}
     * rather than the row's random sequence, so that the standard fields keep their values and a
     * value costs no allocation.
     */
    private boolean appendCustom(int k, StringBuilder out) {
      long h = mix(rowKey ^ mix(k + 1L));
      if ((h >>> 56) < 26) { // ~10% nulls
        return false;
      }
      long draw = mix(h);
      switch (k % CUSTOM_KINDS.length) {
        case 0 -> {
          int words = 1 + (int) (draw & 7);
          draw >>>= 3;
          for (int w = 0; w < words; w++, draw >>>= 4) {
            if (w > 0) {
              out.append(w == 1 && (h & 0xF) == 0 ? ", " : " ");
            }
            out.append(WORDS[(int) (draw & 0xF)]);
          }
        }
        case 1 -> out.append((draw >>> 1) % 10_000_000_000L);
        case 2 -> {
          long cents = (draw >>> 1) % 100_000_000L;
          out.append(cents / 100).append('.');
          appendPadded(out, (int) (cents % 100), 2);
        }
        case 3 ->
            appendTimestamp(
                out, FIRST_CREATED_MILLIS + (draw >>> 1) % STAMP_SPAN_SECONDS * 1000);
        default -> out.append(PICKLIST[(int) ((draw >>> 1) % PICKLIST.length)]);
      }
      return true;
    }

    /** SplitMix64's finaliser: a well-mixed 64-bit hash of {@code z}. */
    private static long mix(long z) {
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }

    private boolean appendDescription(StringBuilder out) {
      switch (descriptionKind) {
        case 0, 1 -> {
          return false;
        }
        case 2 -> {
          // The empty string, distinct from null.
        }
        case 3 -> out.append("Met at the \"Data, Now\" expo.\nFollow up: call, then email.");
        case 4 ->
            out.append("Account #").append(index).append(", renewal due.\r\nSaid: \"ship it\"");
        default -> out.append("Customer since ").append(descriptionYear);
      }
      return true;
    }

    /** {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'} in UTC, as {@code DATETIME} formats it. */
    private static void appendTimestamp(StringBuilder out, long epochMillis) {
      long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
      if (!appendFourDigitYearDate(out, day)) {
        out.append(DATETIME.format(Instant.ofEpochMilli(epochMillis)));
        return;
      }
      int millisOfDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
      out.append('T');
      appendPadded(out, millisOfDay / 3_600_000, 2);
      out.append(':');
      appendPadded(out, millisOfDay / 60_000 % 60, 2);
      out.append(':');
      appendPadded(out, millisOfDay / 1000 % 60, 2);
      out.append('.');
      appendPadded(out, millisOfDay % 1000, 3);
      out.append('Z');
    }

    /** {@code yyyy-MM-dd}, as {@code LocalDate.toString()} writes it. */
    private static void appendDate(StringBuilder out, long epochDay) {
      if (!appendFourDigitYearDate(out, epochDay)) {
        out.append(LocalDate.ofEpochDay(epochDay));
      }
    }

    /**
     * {@code yyyy-MM-dd} for years 1–9999, where {@code LocalDate.toString()} and the {@code yyyy}
     * (year-of-era) pattern agree; returns {@code false}, having appended nothing, for other years
     * so that callers fall back to the JDK's own formatting.
     */
    private static boolean appendFourDigitYearDate(StringBuilder out, long epochDay) {
      LocalDate date = LocalDate.ofEpochDay(epochDay);
      if (date.getYear() < 1 || date.getYear() > 9999) {
        return false;
      }
      appendPadded(out, date.getYear(), 4);
      out.append('-');
      appendPadded(out, date.getMonthValue(), 2);
      out.append('-');
      appendPadded(out, date.getDayOfMonth(), 2);
      return true;
    }

    private static void appendPadded(StringBuilder out, int value, int width) {
      for (int limit = 10, digits = 1; digits < width; limit *= 10, digits++) {
        if (value < limit) {
          out.append('0');
        }
      }
      out.append(value);
    }
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
}
