package dev.sluice.activities.iceberg;

import dev.sluice.activities.parquet.InvalidSinkException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.exceptions.ValidationException;

/**
 * An {@code iceberg} sink's {@code partitionBy}: Iceberg partition transforms written as {@code
 * identity(col)}, {@code year(col)}, {@code month(col)}, {@code day(col)}, {@code hour(col)},
 * {@code bucket(N, col)} or {@code truncate(W, col)}. The pipeline loader checks the syntax ({@link
 * #parse}); the columns and their types are checked against the table's schema when the table is
 * created ({@link #spec}).
 */
public final class Partitioning {
  private static final Pattern TERM =
      Pattern.compile("\\s*([a-z]+)\\s*\\(\\s*(?:(\\d+)\\s*,\\s*)?([^(),\\s][^(),]*?)\\s*\\)\\s*");

  /** The transforms, in the order the reference lists them. */
  public static final List<String> TRANSFORMS =
      List.of("identity", "year", "month", "day", "hour", "bucket", "truncate");

  private Partitioning() {}

  /**
   * One parsed transform.
   *
   * @param transform its name, e.g. {@code day}
   * @param width {@code N} of {@code bucket}, {@code W} of {@code truncate}; 0 for the others
   * @param column the source column
   */
  public record Term(String transform, int width, String column) {}

  /**
   * Parses the {@code index}-th entry of {@code partitionBy}.
   *
   * @throws InvalidSinkException naming {@code sink.partitionBy[index]} and what is wrong
   */
  public static Term parse(String text, int index) {
    Matcher m = TERM.matcher(text == null ? "" : text);
    String key = "sink.partitionBy[" + index + "]";
    if (!m.matches()) {
      throw new InvalidSinkException(
          key
              + ": '"
              + text
              + "' is not a partition transform; expected identity(col), year(col), month(col),"
              + " day(col), hour(col), bucket(N, col) or truncate(W, col)");
    }
    String transform = m.group(1).toLowerCase(Locale.ROOT);
    if (!TRANSFORMS.contains(transform)) {
      throw new InvalidSinkException(
          key + ": unknown transform '" + transform + "'; expected one of " + TRANSFORMS);
    }
    boolean sized = transform.equals("bucket") || transform.equals("truncate");
    if (sized != (m.group(2) != null)) {
      throw new InvalidSinkException(
          key
              + ": "
              + (sized
                  ? transform + " needs a width first: " + transform + "(N, " + m.group(3) + ")"
                  : transform + " takes only a column: " + transform + "(" + m.group(3) + ")"));
    }
    int width = sized ? Integer.parseInt(m.group(2)) : 0;
    if (sized && width < 1) {
      throw new InvalidSinkException(key + ": the width of " + transform + " must be at least 1");
    }
    return new Term(transform, width, m.group(3));
  }

  /**
   * The partition spec of {@code partitionBy} over {@code schema}.
   *
   * @throws InvalidSinkException naming the entry whose column the schema lacks, or whose
   *     transform does not apply to the column's type
   */
  public static PartitionSpec spec(Schema schema, List<String> partitionBy) {
    PartitionSpec.Builder builder = PartitionSpec.builderFor(schema);
    for (int i = 0; i < partitionBy.size(); i++) {
      Term term = parse(partitionBy.get(i), i);
      if (schema.findField(term.column()) == null) {
        throw new InvalidSinkException(
            "sink.partitionBy["
                + i
                + "]: the table has no column '"
                + term.column()
                + "' (columns: "
                + schema.columns().stream().map(f -> f.name()).toList()
                + ")");
      }
      try {
        builder = add(builder, term);
      } catch (ValidationException | IllegalArgumentException e) {
        throw new InvalidSinkException(
            "sink.partitionBy[" + i + "]: " + partitionBy.get(i) + ": " + e.getMessage());
      }
    }
    return builder.build();
  }

  private static PartitionSpec.Builder add(PartitionSpec.Builder b, Term term) {
    String c = term.column();
    return switch (term.transform()) {
      case "identity" -> b.identity(c);
      case "year" -> b.year(c);
      case "month" -> b.month(c);
      case "day" -> b.day(c);
      case "hour" -> b.hour(c);
      case "bucket" -> b.bucket(c, term.width());
      case "truncate" -> b.truncate(c, term.width());
      default -> throw new IllegalStateException("unreachable: " + term.transform());
    };
  }
}
