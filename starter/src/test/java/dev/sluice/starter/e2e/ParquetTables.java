package dev.sluice.starter.e2e;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a published table back with DuckDB: an engine that shares no code with our writer. */
public final class ParquetTables {
  private ParquetTables() {}

  /**
   * Every row of the Contact table, as the CSV text the sandbox served, ordered by SystemModstamp.
   */
  public static List<Map<String, String>> contacts(Path table) throws SQLException {
    String sql =
        "SELECT Id, FirstName, LastName, Email, Phone, Title, Description,"
            + " CAST(AnnualRevenue AS VARCHAR) AS AnnualRevenue,"
            + " CAST(NumberOfEmployees AS VARCHAR) AS NumberOfEmployees,"
            + " CAST(HasOptedOutOfEmail AS VARCHAR) AS HasOptedOutOfEmail,"
            + " CAST(Birthdate AS VARCHAR) AS Birthdate,"
            + " epoch_ms(CreatedDate) AS CreatedDate, epoch_ms(SystemModstamp) AS SystemModstamp"
            + " FROM read_parquet('"
            + table
            + "/*.parquet') ORDER BY SystemModstamp, Id";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<Map<String, String>> rows = new ArrayList<>();
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i <= columns; i++) {
          String name = rs.getMetaData().getColumnLabel(i);
          if (name.equals("CreatedDate") || name.equals("SystemModstamp")) {
            row.put(name, java.time.Instant.ofEpochMilli(rs.getLong(i)).toString());
          } else {
            row.put(name, rs.getString(i));
          }
        }
        rows.add(row);
      }
      return rows;
    }
  }

  /**
   * Every row of a generic {@code events} table (or one partition of it), as text, in {@code
   * created_at} order (one row a minute, so also {@code id} order); {@code created_at} (declared a
   * timestamp) as an ISO instant.
   */
  static List<Map<String, String>> events(Path table) throws SQLException {
    String sql =
        "SELECT CAST(id AS VARCHAR) AS id, name, CAST(amount AS VARCHAR) AS amount,"
            + " CAST(active AS VARCHAR) AS active, epoch_ms(created_at) AS created_at, note"
            + " FROM read_parquet('"
            + table
            + "/*.parquet') ORDER BY created_at";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<Map<String, String>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("id", rs.getString("id"));
        row.put("name", rs.getString("name"));
        row.put("amount", rs.getString("amount"));
        row.put("active", rs.getString("active"));
        row.put("created_at", java.time.Instant.ofEpochMilli(rs.getLong("created_at")).toString());
        row.put("note", rs.getString("note"));
        rows.add(row);
      }
      return rows;
    }
  }

  /** The sandbox's {@code events} rows in the same shape as {@link #events}. */
  static List<Map<String, String>> expectedEvents(List<Map<String, Object>> served) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (Map<String, Object> r : served) {
      Map<String, String> row = new LinkedHashMap<>();
      for (String field : List.of("id", "name", "amount", "active", "created_at", "note")) {
        Object value = r.get(field);
        row.put(field, value == null ? null : value.toString());
      }
      rows.add(row);
    }
    return rows;
  }

  /** The sandbox's rows in the same shape as {@link #contacts}: timestamps as ISO instants. */
  public static List<Map<String, String>> expected(List<Map<String, String>> served) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (Map<String, String> r : served) {
      Map<String, String> row = new LinkedHashMap<>(r);
      row.put("CreatedDate", java.time.Instant.parse(r.get("CreatedDate")).toString());
      row.put("SystemModstamp", java.time.Instant.parse(r.get("SystemModstamp")).toString());
      rows.add(row);
    }
    return rows;
  }
}
