package dev.sluice.sandbox;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code orders} dataset of the generic export API: nested JSON, for clients that keep objects
 * and arrays as structs and lists. Row {@code i}: {@code id} (i + 1), {@code customer} (an object
 * with a {@code name} and an {@code address} object), {@code lines} (an array of objects, empty
 * for every fifth order), {@code tags} (an array of strings, or null). From row {@link
 * #EVOLVES_AT} on, the API "added" fields, as providers do: {@code customer.tier} and a {@code
 * coupon} object.
 */
public final class GenericOrders {
  /** The first row with the fields added later. */
  public static final int EVOLVES_AT = 40;

  private static final String[] CITIES = {"Oslo", "Zürich", "東京", "Lagos"};

  private GenericOrders() {}

  /** Rows {@code [fromInclusive, toExclusive)}. */
  public static List<Map<String, Object>> rows(int fromInclusive, int toExclusive) {
    List<Map<String, Object>> rows = new ArrayList<>(Math.max(0, toExclusive - fromInclusive));
    for (int i = fromInclusive; i < toExclusive; i++) {
      rows.add(row(i));
    }
    return rows;
  }

  /** Row {@code index}. */
  public static Map<String, Object> row(int index) {
    Map<String, Object> address = new LinkedHashMap<>();
    address.put("city", CITIES[index % CITIES.length]);
    address.put("zip", String.format("%04d", index));
    Map<String, Object> customer = new LinkedHashMap<>();
    customer.put("name", "Customer " + index);
    customer.put("address", address);
    if (index >= EVOLVES_AT) {
      customer.put("tier", (long) (index % 3));
    }
    List<Object> lines = new ArrayList<>();
    for (int k = 0; index % 5 != 0 && k <= index % 3; k++) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("sku", "SKU-" + index + "-" + k);
      line.put("qty", (long) k + 1);
      line.put("price", index + k / 4.0);
      lines.add(line);
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", index + 1L);
    row.put("customer", customer);
    row.put("lines", lines);
    row.put("tags", index % 4 == 3 ? null : List.of("t" + index % 2, "all"));
    if (index >= EVOLVES_AT) {
      Map<String, Object> coupon = new LinkedHashMap<>();
      coupon.put("code", "C" + index);
      coupon.put("pct", (long) (index % 20));
      row.put("coupon", coupon);
    }
    return Collections.unmodifiableMap(row);
  }
}
