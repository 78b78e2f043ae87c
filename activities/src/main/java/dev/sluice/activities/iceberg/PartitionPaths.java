package dev.sluice.activities.iceberg;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;

/**
 * The partition a staged file holds, read back from its directory ({@code
 * CreatedDate_month=2025-01/id_bucket=3}), which {@link RowPartitions} wrote with {@link
 * PartitionSpec#partitionToPath}: the inverse of Iceberg's human-readable partition strings. Time
 * transforms are read as what they count (years, months, hours since 1970; a day as a date);
 * identity, bucket and truncate values as their type's partition string.
 */
final class PartitionPaths {
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH");
  private static final LocalDate EPOCH = LocalDate.of(1970, 1, 1);

  private PartitionPaths() {}

  /**
   * @throws IllegalArgumentException when {@code path} is not a partition path of {@code spec}
   */
  static PartitionData parse(PartitionSpec spec, String path) {
    PartitionData data = new PartitionData(spec.partitionType());
    String[] parts = path.split("/");
    if (parts.length != spec.fields().size()) {
      throw new IllegalArgumentException("'" + path + "' is not a partition of " + spec);
    }
    for (int i = 0; i < parts.length; i++) {
      PartitionField field = spec.fields().get(i);
      String prefix = field.name() + "=";
      if (!parts[i].startsWith(prefix)) {
        throw new IllegalArgumentException("'" + path + "' does not start with " + prefix);
      }
      String text = URLDecoder.decode(parts[i].substring(prefix.length()), StandardCharsets.UTF_8);
      Type type = spec.partitionType().fields().get(i).type();
      data.set(i, text.equals("null") ? null : value(field.transform().toString(), type, text));
    }
    return data;
  }

  private static Object value(String transform, Type type, String text) {
    return switch (transform) {
      case "year" -> Integer.parseInt(text) - 1970;
      case "month" ->
          (int) ChronoUnit.MONTHS.between(EPOCH, LocalDate.parse(text + "-01"));
      case "hour" ->
          (int) (LocalDateTime.parse(text, HOUR).toEpochSecond(ZoneOffset.UTC) / 3600);
      default -> Conversions.fromPartitionString(type, text);
    };
  }
}
