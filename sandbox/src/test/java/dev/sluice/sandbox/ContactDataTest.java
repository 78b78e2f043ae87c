package dev.sluice.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class ContactDataTest {

  @Test
  void givenSameSeedAndIndex_whenGenerated_thenSameRowWhateverTheRange() {
    assertThat(ContactData.rows(42, 500, 501).get(0)).isEqualTo(ContactData.rows(42, 0, 1000).get(500));
    assertThat(ContactData.row(42, 7)).isNotEqualTo(ContactData.row(43, 7));
  }

  @Test
  void givenRows_whenInspected_thenIdsUniqueAndTimestampsStrictlyIncreasing() {
    List<Map<String, String>> rows = ContactData.rows(42, 0, 2000);

    assertThat(rows).extracting(r -> r.get("Id")).allMatch(id -> id.length() == 18 && id.startsWith("003"));
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
    assertThat(ContactData.firstIndexAfter("SystemModstamp", row10.plusMillis(1), true)).isEqualTo(11);
    assertThat(ContactData.firstIndexAfter("CreatedDate", Instant.parse("2000-01-01T00:00:00Z"), false)).isZero();
  }
}
