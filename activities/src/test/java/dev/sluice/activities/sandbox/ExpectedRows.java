package dev.sluice.activities.sandbox;

import dev.sluice.sandbox.ContactData;
import dev.sluice.sandbox.GenericData;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows the sandbox serves, as {@link StagedFiles} reads them back once typed: computed from the
 * sandbox's own generators with the JDK's parsers, never with the code under test.
 */
final class ExpectedRows {
  private ExpectedRows() {}

  /**
   * Contact rows {@code [from, to)} typed as {@link SalesforceSource#DECLARED_COLUMNS} declares and
   * inference should decide: decimal(18,2) as its unscaled long, dates as epoch days, timestamps as
   * epoch micros, the employee count as long, the opt-out flag as boolean, all else text.
   */
  static List<Map<String, Object>> contacts(long seed, int from, int to) {
    return ContactData.rows(seed, from, to).stream().map(ExpectedRows::contact).toList();
  }

  private static Map<String, Object> contact(Map<String, String> source) {
    Map<String, Object> row = new LinkedHashMap<>();
    source.forEach(
        (field, text) ->
            row.put(
                field,
                text == null
                    ? null
                    : switch (field) {
                      case "AnnualRevenue" ->
                          new BigDecimal(text).setScale(2).unscaledValue().longValueExact();
                      case "Birthdate" -> (int) LocalDate.parse(text).toEpochDay();
                      case "CreatedDate", "SystemModstamp" -> micros(text);
                      case "NumberOfEmployees" -> Long.parseLong(text);
                      case "HasOptedOutOfEmail" -> Boolean.parseBoolean(text);
                      default -> text;
                    }));
    return row;
  }

  /**
   * Generic {@code events} rows {@code [from, to)} as inference should type them from JSON or CSV
   * alike: id long, amount double, active boolean, created_at epoch micros, name and note text.
   */
  static List<Map<String, Object>> events(long seed, int from, int to) {
    return GenericData.rows(seed, from, to).stream().map(ExpectedRows::event).toList();
  }

  private static Map<String, Object> event(Map<String, Object> source) {
    Map<String, Object> row = new LinkedHashMap<>(source);
    row.put("created_at", micros((String) source.get("created_at")));
    return row;
  }

  static long micros(String isoInstant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(isoInstant));
  }
}
