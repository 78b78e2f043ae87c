package dev.sluice.sandbox.platform;

import java.util.ArrayList;
import java.util.List;

/**
 * The datasets and batches every emulator starts with (and returns to on reset): a profile dataset
 * with a registry schema and the deprecated {@code fields}, an event dataset with only a schema,
 * and a legacy dataset with only {@code fields}; successful event batches one hour apart from
 * {@link #EVENTS_FIRST_BATCH_MILLIS}, and two profile batches.
 */
final class DefaultSeeds {

  static final String PROFILES = "5f0000000000000000000001";
  static final String EVENTS = "5f0000000000000000000002";
  static final String LEGACY = "5f0000000000000000000003";

  /** Salesforce-like contacts: what {@code examples/contacts-to-platform.yaml} sends. */
  static final String CONTACTS = "5f0000000000000000000004";

  /** 2024-03-01T00:00:00Z. */
  static final long EVENTS_FIRST_BATCH_MILLIS = 1_709_251_200_000L;

  static final long HOUR = 3_600_000L;
  static final int EVENT_BATCHES = 4;

  private DefaultSeeds() {}

  static List<DatasetSeed> datasets() {
    long created = EVENTS_FIRST_BATCH_MILLIS - 30L * 24 * HOUR;
    return List.of(
        new DatasetSeed(
            PROFILES,
            "Sluice Profiles",
            created,
            "context/person",
            true,
            List.of(
                field("personId", FieldType.STRING), field("firstName", FieldType.STRING),
                field("lastName", FieldType.STRING), field("birthYear", FieldType.INT),
                field("loyaltyPoints", FieldType.LONG), field("optIn", FieldType.BOOLEAN))),
        new DatasetSeed(
            EVENTS,
            "Sluice Experience Events",
            created + 1,
            "context/experienceevent",
            false,
            List.of(
                field("eventId", FieldType.STRING), field("timestamp", FieldType.DATE_TIME),
                field("eventType", FieldType.STRING), field("value", FieldType.DOUBLE))),
        new DatasetSeed(
            LEGACY,
            "Legacy Contacts",
            created + 2,
            null,
            true,
            List.of(field("name", FieldType.STRING), field("age", FieldType.STRING))),
        new DatasetSeed(
            CONTACTS,
            "Sluice Contacts",
            created + 3,
            "context/contact",
            false,
            List.of(
                field("Id", FieldType.STRING),
                field("FirstName", FieldType.STRING),
                field("LastName", FieldType.STRING),
                field("Email", FieldType.STRING),
                field("Phone", FieldType.STRING),
                field("Title", FieldType.STRING),
                field("AnnualRevenue", FieldType.DOUBLE),
                field("NumberOfEmployees", FieldType.LONG),
                field("HasOptedOutOfEmail", FieldType.BOOLEAN),
                field("CreatedDate", FieldType.DATE_TIME),
                field("SystemModstamp", FieldType.DATE_TIME))));
  }

  /**
   * Event batch {@code i} (0-based) is created at first + i hours; the second one has two files.
   */
  static List<BatchSeed> batches() {
    List<BatchSeed> batches = new ArrayList<>();
    for (int i = 0; i < EVENT_BATCHES; i++) {
      batches.add(
          new BatchSeed(
              String.format("5eed00000000000000000e%02d", i + 1),
              EVENTS,
              EVENTS_FIRST_BATCH_MILLIS + i * HOUR,
              i == 1 ? 2 : 1,
              20));
    }
    batches.add(
        new BatchSeed(
            "5eed00000000000000000p01", PROFILES, EVENTS_FIRST_BATCH_MILLIS - 24 * HOUR, 1, 10));
    batches.add(
        new BatchSeed("5eed00000000000000000p02", PROFILES, EVENTS_FIRST_BATCH_MILLIS, 1, 10));
    return batches;
  }

  private static DatasetSeed.Field field(String name, FieldType type) {
    return new DatasetSeed.Field(name, type);
  }
}
