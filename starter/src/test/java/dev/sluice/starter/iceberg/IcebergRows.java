package dev.sluice.starter.iceberg;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rows pyiceberg read, in the shape the e2e tests compare the provider's rows in. */
public final class IcebergRows {
  /** The Contact columns, in the order the example's query names them. */
  public static final List<String> CONTACT_FIELDS =
      List.of(
          "Id", "FirstName", "LastName", "Email", "Phone", "Title", "Description", "AnnualRevenue",
          "NumberOfEmployees", "HasOptedOutOfEmail", "Birthdate", "CreatedDate", "SystemModstamp");

  private IcebergRows() {}

  /**
   * Contact rows as the CSV text the sandbox served ({@code ParquetTables.expected}'s shape):
   * timestamps as ISO instants, everything else as its text; ordered by SystemModstamp, Id.
   */
  public static List<Map<String, String>> contacts(List<Map<String, Object>> rows) {
    List<Map<String, String>> out = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      Map<String, String> row = new LinkedHashMap<>();
      for (String field : CONTACT_FIELDS) {
        Object value = r.get(field);
        String text = value == null ? null : value.toString();
        if (text != null && (field.equals("CreatedDate") || field.equals("SystemModstamp"))) {
          text = instant(text).toString();
        }
        row.put(field, text);
      }
      out.add(row);
    }
    out.sort(
        Comparator.comparing((Map<String, String> m) -> Instant.parse(m.get("SystemModstamp")))
            .thenComparing(m -> m.get("Id")));
    return out;
  }

  /** An ISO timestamp pyiceberg printed, with an offset (timestamptz) or without (timestamp). */
  public static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
    }
  }
}
