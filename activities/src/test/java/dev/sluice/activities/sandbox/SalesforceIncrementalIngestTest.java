package dev.sluice.activities.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.activities.parquet.ParquetSinkActivitiesImpl;
import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.sandbox.ContactData;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.workflows.activities.Messages.CleanupRequest;
import dev.sluice.workflows.activities.Messages.ExtractRequest;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.Messages.StatusRequest;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import dev.sluice.workflows.activities.Messages.WatermarkRequest;
import dev.sluice.workflows.activities.RunKeys;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs of the Salesforce pipeline, each through every activity in the order the workflow calls
 * them (read watermark, submit, poll, extract, publish, delete): the second sees only the contacts
 * added after the first one's watermark, and the table ends up holding every contact once.
 */
class SalesforceIncrementalIngestTest {
  private static final SandboxConfig CONFIG =
      SandboxConfig.defaults().withContactRecords(300).withPollsBeforeReady(1);

  @TempDir Path dir;
  private SandboxFixture fixture;
  private ParquetSinkActivitiesImpl sinkActivities;

  @AfterEach
  void stop() {
    fixture.close();
  }

  /** One run: returns the publish result. */
  private PublishResult run(String runKey, ParquetSink sink) {
    AsyncHttpSource source = SalesforceSource.contacts(fixture.baseUrl(), 70);
    String watermark = sinkActivities.readWatermark(new WatermarkRequest(sink)).watermark();
    Map<String, String> vars = new HashMap<>(SalesforceSource.runVars());
    vars.put("watermark", watermark == null ? "1970-01-01T00:00:00.000Z" : watermark);
    String requestId =
        fixture
            .activities
            .submit(
                new SubmitRequest(
                    runKey,
                    source,
                    Map.copyOf(vars),
                    RunKeys.receipt(sink, runKey, "temporal-run")))
            .requestId();
    vars.put("requestId", requestId);
    assertThat(
            fixture.activities.checkStatus(new StatusRequest(source, Map.copyOf(vars))).outcome())
        .isEqualTo(Outcome.READY);
    String staging = RunKeys.staging(sink, runKey);
    ExtractResult extracted;
    try (ExtractEnvironment env = new ExtractEnvironment(fixture.activities)) {
      extracted =
          env.extract(
              new ExtractRequest(
                  runKey, source, Map.copyOf(vars), sink, staging, "SystemModstamp"));
    }
    PublishRequest publish =
        new PublishRequest(
            runKey, sink, staging, extracted.files(), "SystemModstamp", extracted.maxWatermark());
    PublishResult published = sinkActivities.publish(publish);
    // A publish repeated after a lost completion must change nothing.
    assertThat(sinkActivities.publish(publish)).isEqualTo(published);
    fixture.activities.delete(new CleanupRequest(source, Map.copyOf(vars)));
    return published;
  }

  private List<Map<String, Object>> tableRows(Path table) {
    File[] files = table.toFile().listFiles((d, name) -> name.endsWith(".parquet"));
    assertThat(files).isNotNull();
    List<Map<String, Object>> rows = new ArrayList<>();
    Arrays.stream(files)
        .sorted(Comparator.comparing(File::getName))
        .forEach(f -> rows.addAll(StagedFiles.rows(f.toPath())));
    return rows;
  }

  @Test
  void
      givenContactsAddedAfterFirstRun_whenSecondRunUsesItsWatermark_thenTableHoldsEveryContactOnce() {
    fixture = SandboxFixture.start(CONFIG);
    sinkActivities = new ParquetSinkActivitiesImpl(fixture.files);
    ParquetSink sink = SalesforceSource.sink("file://" + dir + "/contacts", "16KB", 20);

    PublishResult first = run("ingest_salesforce-contacts_2026-11-21T00-00-00Z", sink);
    fixture.sandbox.salesforce().addContacts(130);
    PublishResult second = run("ingest_salesforce-contacts_2026-11-22T00-00-00Z", sink);

    assertThat(first.files()).isNotEmpty();
    assertThat(second.files()).isNotEmpty().doesNotContainAnyElementsOf(first.files());
    assertThat(tableRows(dir.resolve("contacts")))
        .isEqualTo(ExpectedRows.contacts(CONFIG.seed(), 0, 430));
    assertThat(sinkActivities.readWatermark(new WatermarkRequest(sink)).watermark())
        .isEqualTo(ContactData.row(CONFIG.seed(), 429).get("SystemModstamp"));
    assertThat(dir.resolve("contacts/_sluice/staging").toFile().list())
        .as("both runs' staging removed")
        .isNullOrEmpty();
    assertThat(fixture.sandbox.salesforce().stats().jobs()).as("both jobs deleted").isEmpty();
    assertThat(fixture.sandbox.salesforce().stats().tokenGrants()).isEqualTo(1);
  }
}
