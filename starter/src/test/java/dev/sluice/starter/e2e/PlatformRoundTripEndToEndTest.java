package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.ContactData;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.platform.DatasetSeed;
import dev.sluice.sandbox.platform.FieldType;
import dev.sluice.sandbox.platform.PlatformEmulator;
import dev.sluice.sandbox.platform.PlatformStats;
import dev.sluice.starter.dev.DevEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code sluice demo} does after its two Salesforce runs, through the CLI: the example {@code
 * contacts-to-platform.yaml} sends every contact to the sandbox's platform emulation as one batch,
 * then {@code platform-to-parquet.yaml}, pointed at that dataset and deferring contacts without a
 * phone number, reads it back. Every contact sent comes back exactly once: landed or deferred.
 */
class PlatformRoundTripEndToEndTest {
  static final String QUEUE = "e2e-round-trip";
  static final long SEED = 42;
  static final int CONTACTS = 300;

  /** The dataset {@code contacts-to-platform.yaml} sends to. */
  static final String CONTACTS_DATASET = "5f0000000000000000000004";

  static DevEnvironment dev;

  @TempDir static Path work;

  @BeforeAll
  static void startStack() {
    dev =
        DevEnvironment.start(
            0, SandboxConfig.defaults().withSeed(SEED).withContactRecords(CONTACTS), QUEUE);
    seedContactsDatasetUnlessSeeded(dev.sandbox().platform());
    // Batches are final on the first status check: the send waits one poll interval, not two.
    dev.sandbox().platform().pollsBeforeFinal(1);
  }

  @AfterAll
  static void stopStack() {
    dev.close();
  }

  /**
   * The example's target dataset, with the schema its columns declare. The example expects the
   * sandbox to seed it by default; until it does, the test seeds it here.
   */
  static void seedContactsDatasetUnlessSeeded(PlatformEmulator platform) {
    List<DatasetSeed.Field> fields =
        List.of(
            new DatasetSeed.Field("Id", FieldType.STRING),
            new DatasetSeed.Field("FirstName", FieldType.STRING),
            new DatasetSeed.Field("LastName", FieldType.STRING),
            new DatasetSeed.Field("Email", FieldType.STRING),
            new DatasetSeed.Field("Phone", FieldType.STRING),
            new DatasetSeed.Field("Title", FieldType.STRING),
            new DatasetSeed.Field("AnnualRevenue", FieldType.DOUBLE),
            new DatasetSeed.Field("NumberOfEmployees", FieldType.LONG),
            new DatasetSeed.Field("HasOptedOutOfEmail", FieldType.BOOLEAN),
            new DatasetSeed.Field("CreatedDate", FieldType.DATE_TIME),
            new DatasetSeed.Field("SystemModstamp", FieldType.DATE_TIME));
    try {
      platform.seedDataset(
          new DatasetSeed(
              CONTACTS_DATASET,
              "Sluice Contacts",
              PlatformEmulator.SEEDED_EVENTS_FIRST_BATCH_MILLIS,
              "context/contact",
              false,
              fields));
    } catch (IllegalArgumentException alreadySeeded) {
      // The sandbox seeds it itself: nothing to add.
    }
  }

  @Test
  void
      givenContactsSentToPlatform_whenReadBackAsPlatformSource_thenEachContactLandedOrDeferredOnce()
          throws Exception {
    Path dir = work.resolve("round-trip");
    Files.createDirectories(dir);
    Path send =
        Files.writeString(
            dir.resolve("send.yaml"),
            Files.readString(Path.of("../examples/contacts-to-platform.yaml")));
    String source = Files.readString(Path.of("../examples/platform-to-parquet.yaml"));
    assertThat(source)
        .contains("datasetId: " + PlatformEmulator.SEEDED_EVENTS)
        .contains("requiredFields: [eventType, value]")
        .contains("key: [eventId]");
    Path readBack =
        Files.writeString(
            dir.resolve("read.yaml"),
            source
                .replace(
                    "datasetId: " + PlatformEmulator.SEEDED_EVENTS,
                    "datasetId: " + CONTACTS_DATASET)
                .replace("requiredFields: [eventType, value]", "requiredFields: [Phone]")
                .replace("key: [eventId]", "key: [Id]"));
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

    Cli sent = sluice("run", send.toString(), "--wait", "--logical-date", now);

    assertThat(sent.exitCode()).as(sent.out() + sent.err()).isZero();
    Matcher batch =
        Pattern.compile("platform      batch (\\S+) success, 1 file").matcher(sent.out());
    assertThat(batch.find()).as(sent.out()).isTrue();
    String batchId = batch.group(1);
    PlatformStats.BatchSummary summary = dev.sandbox().platform().stats().batch(batchId);
    assertThat(summary.datasetId()).isEqualTo(CONTACTS_DATASET);
    assertThat(summary.status()).isEqualTo("success");

    // As the demo does: a logical date just ahead of the clock, so the read-back's window (which
    // ends before its logical date) holds the batch created within this second.
    String later = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).toString();
    Cli read = sluice("run", readBack.toString(), "--wait", "--logical-date", later);

    long withoutPhone =
        ContactData.rows(SEED, 0, CONTACTS).stream()
            .map(row -> row.get("Phone"))
            .filter(phone -> phone == null || phone.isEmpty())
            .count();
    assertThat(withoutPhone).as("the sandbox's data must exercise deferral").isPositive();
    assertThat(read.exitCode()).as(read.out() + read.err()).isZero();
    assertThat(read.out())
        .contains("batches read  1 (1 source file): " + batchId)
        .contains(
            "deferral      landed "
                + (CONTACTS - withoutPhone)
                + ", deferred "
                + withoutPhone
                + ", released 0, superseded 0, expired 0");
    Path table = dir.resolve("out/platform-events");
    assertThat(ids(table, "*.parquet"))
        .hasSize((int) (CONTACTS - withoutPhone))
        .doesNotHaveDuplicates();
    assertThat(ids(table, "_sluice/deferred/*.parquet")).hasSize((int) withoutPhone);
  }

  private static Cli sluice(String... head) {
    String[] tail = {"--address", dev.temporal().address(), "--task-queue", QUEUE};
    String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return Cli.run(all);
  }

  private static List<String> ids(Path table, String glob) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT Id FROM read_parquet('" + table.resolve(glob) + "') ORDER BY Id")) {
      List<String> ids = new java.util.ArrayList<>();
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
      return ids;
    }
  }
}
