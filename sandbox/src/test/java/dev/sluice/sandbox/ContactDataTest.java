package dev.sluice.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ContactDataTest {

  @Test
  void givenSameSeedAndIndex_whenGenerated_thenSameRowWhateverTheRange() {
    assertThat(ContactData.rows(42, 500, 501).get(0))
        .isEqualTo(ContactData.rows(42, 0, 1000).get(500));
    assertThat(ContactData.row(42, 7)).isNotEqualTo(ContactData.row(43, 7));
  }

  @Test
  void givenRows_whenInspected_thenIdsUniqueAndTimestampsStrictlyIncreasing() {
    List<Map<String, String>> rows = ContactData.rows(42, 0, 2000);

    assertThat(rows)
        .extracting(r -> r.get("Id"))
        .allMatch(id -> id.length() == 18 && id.startsWith("003"));
    assertThat(new HashSet<>(rows.stream().map(r -> r.get("Id")).toList())).hasSize(2000);
    assertThat(rows).extracting(r -> r.get("SystemModstamp")).isSorted().doesNotHaveDuplicates();
    assertThat(rows.get(0).get("SystemModstamp")).isEqualTo("2026-01-01T00:00:00.000Z");
  }

  @Test
  void givenRows_whenInspected_thenHostileValuesAllOccur() {
    List<Map<String, String>> rows = ContactData.rows(42, 0, 1000);

    assertThat(rows).anyMatch(r -> r.get("Description") == null);
    assertThat(rows).anyMatch(r -> "".equals(r.get("Description")));
    assertThat(rows).anyMatch(r -> Objects.toString(r.get("Description")).contains("\n"));
    assertThat(rows).anyMatch(r -> r.get("Phone") == null);
    assertThat(rows).anyMatch(r -> r.get("AnnualRevenue") == null);
    assertThat(rows).anyMatch(r -> r.get("Birthdate") == null);
    assertThat(rows).anyMatch(r -> r.get("Title").contains("\""));
    assertThat(rows).anyMatch(r -> r.get("FirstName").codePoints().anyMatch(c -> c > 0xFFFF));
  }

  @Test
  void givenTimestampBound_whenLocatingFirstRow_thenExclusiveAndInclusiveDifferOnlyAtExactMatch() {
    Instant row10 = ContactData.FIRST_MODSTAMP.plus(ContactData.STEP.multipliedBy(10));

    assertThat(ContactData.firstIndexAfter("SystemModstamp", row10, false)).isEqualTo(11);
    assertThat(ContactData.firstIndexAfter("SystemModstamp", row10, true)).isEqualTo(10);
    assertThat(ContactData.firstIndexAfter("SystemModstamp", row10.plusMillis(1), true))
        .isEqualTo(11);
    assertThat(
            ContactData.firstIndexAfter(
                "CreatedDate", Instant.parse("2000-01-01T00:00:00Z"), false))
        .isZero();
  }

  @Test
  void givenAnySeedAndIndex_whenGenerated_thenSameValuesAsTheOriginalMapBasedGenerator() {
    // Rows near 0, a stretch that crosses days, and indexes whose timestamps reach 2050 and beyond.
    for (long seed : new long[] {42, 7, -3}) {
      for (int i = 0; i < 20_000; i++) {
        assertThat(ContactData.row(seed, i))
            .as("seed %d row %d", seed, i)
            .isEqualTo(referenceRow(seed, i));
      }
      for (int i : new int[] {86_399, 86_400, 1_000_000, 999_999_999, Integer.MAX_VALUE}) {
        assertThat(ContactData.row(seed, i))
            .as("seed %d row %d", seed, i)
            .isEqualTo(referenceRow(seed, i));
      }
    }
  }

  @Test
  void givenSelectedColumns_whenStreamedAsCsv_thenSameBytesAsCsvOfTheRowMaps() throws Exception {
    ContactTable table = new ContactTable(42, 5000);
    for (List<String> columns :
        List.of(
            ContactData.FIELDS,
            List.of("Description", "Id", "FirstName", "Title", "SystemModstamp"))) {
      ByteArrayOutputStream streamed = new ByteArrayOutputStream();

      table.writeCsv(columns, 100, 5000, streamed);

      assertThat(streamed.toString(StandardCharsets.UTF_8))
          .isEqualTo(Csv.write(columns, ContactData.rows(42, 100, 5000)));
    }
  }

  /** The generator as it was before rows were streamed: the definition the data must keep. */
  private static Map<String, String> referenceRow(long seed, int index) {
    DateTimeFormatter datetime =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    String[] firstNames = {
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
    String[] lastNames = {
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
    String[] titles = {
      "Engineer",
      "VP, Sales",
      "Director, \"Ops\", EMEA",
      "\"Chief\" Executive",
      "Head of Data",
      "Manager"
    };
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    Map<String, String> row = new LinkedHashMap<>();
    row.put("Id", referenceId("003", index));
    row.put("FirstName", firstNames[random.nextInt(firstNames.length)]);
    row.put("LastName", lastNames[random.nextInt(lastNames.length)]);
    row.put("Email", "contact" + index + "@example.com");
    row.put(
        "Phone",
        random.nextInt(5) == 0
            ? null
            : "+1-555-" + (100 + random.nextInt(900)) + "-" + (1000 + random.nextInt(9000)));
    row.put("Title", titles[random.nextInt(titles.length)]);
    row.put(
        "Description",
        switch (random.nextInt(10)) {
          case 0, 1 -> null;
          case 2 -> "";
          case 3 -> "Met at the \"Data, Now\" expo.\nFollow up: call, then email.";
          case 4 -> "Account #" + index + ", renewal due.\r\nSaid: \"ship it\"";
          default -> "Customer since " + (2000 + random.nextInt(26));
        });
    row.put(
        "AnnualRevenue",
        random.nextInt(4) == 0
            ? null
            : BigDecimal.valueOf(random.nextLong(10_000_000_000L), 2).toPlainString());
    row.put("NumberOfEmployees", Integer.toString(1 + random.nextInt(100_000)));
    row.put("HasOptedOutOfEmail", Boolean.toString(random.nextBoolean()));
    row.put(
        "Birthdate",
        random.nextInt(3) == 0
            ? null
            : LocalDate.of(1950, 1, 1).plusDays(random.nextInt(20_000)).toString());
    row.put(
        "CreatedDate",
        datetime.format(ContactData.FIRST_CREATED.plus(ContactData.STEP.multipliedBy(index))));
    row.put(
        "SystemModstamp",
        datetime.format(ContactData.FIRST_MODSTAMP.plus(ContactData.STEP.multipliedBy(index))));
    return row;
  }

  private static String referenceId(String keyPrefix, long number) {
    String base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    char[] digits = new char[12];
    long rest = number;
    for (int i = digits.length - 1; i >= 0; i--) {
      digits[i] = base62.charAt((int) (rest % 62));
      rest /= 62;
    }
    String id15 = keyPrefix + new String(digits);
    StringBuilder suffix = new StringBuilder(3);
    for (int chunk = 0; chunk < 3; chunk++) {
      int bits = 0;
      for (int i = 0; i < 5; i++) {
        if (Character.isUpperCase(id15.charAt(chunk * 5 + i))) {
          bits |= 1 << i;
        }
      }
      suffix.append("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".charAt(bits));
    }
    return id15 + suffix;
  }
}
