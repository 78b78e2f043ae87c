package dev.sluice.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.DeferralSpec;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.batchegress.BatchEgressResult;
import dev.sluice.workflows.platformingest.PlatformIngestProgress;
import dev.sluice.workflows.platformingest.PlatformIngestResult;
import dev.sluice.workflows.platformingest.PlatformIngestResult.ReadBatch;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a finished run's summary says, for both kinds of run. */
class RunWatcherTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final RunWatcher watcher =
      new RunWatcher(new PrintWriter(out, true), new PrintWriter(err, true), false);

  private static final BatchEgressResult EGRESS =
      new BatchEgressResult(
          "01BATCH",
          List.of("part-0.parquet", "part-1.parquet"),
          2048,
          "success",
          new BatchEgressResult.Timings(100, 200, 50, 10_000, 3),
          List.of("01OLD"),
          "could not record the sent batch: disk full");

  @Test
  void givenPlatformRunWithDeferral_whenSummarised_thenBatchesCountsAndWhereExpiredRowsWent() {
    PipelineSpec pipeline =
        RunKindTest.platformPipeline()
            .withDefer(new DeferralSpec(List.of("email"), List.of("id"), Duration.ofDays(7), null));
    PlatformIngestResult result =
        PlatformIngestResult.newBuilder()
            .tableUri("file:///tmp/events")
            .files(List.of("file:///tmp/events/part-0.parquet"))
            .rows(75)
            .bytes(4096)
            .batches(List.of(new ReadBatch("B1", 1L, 40, 1), new ReadBatch("B2", 2L, 40, 2)))
            .skipped(List.of("B0"))
            .more(true)
            .watermark("2/B2")
            .deferral(new DeferralResult("file:///staging", List.of(), 75, 4096, 6, 1, 2, 3))
            .settleChecks(1)
            .build();

    watcher.printSummary("ingest/events/2026-11-02T00:00:00Z", result, pipeline);

    assertThat(out.toString())
        .contains("run ingest/events/2026-11-02T00:00:00Z succeeded")
        .contains("batches read  2 (3 source files): B1 .. B2")
        .contains("skipped       1 (failed or aborted on the platform): B0")
        .contains("more          yes")
        .contains("rows          75")
        .contains("watermark     2/B2")
        .contains("deferral      landed 75, deferred 6, released 1, superseded 2, expired 3")
        .contains("expired       3 rows moved to file:///tmp/events/_sluice/deferred/_expired");
    assertThat(err.toString())
        .contains("3 deferred rows passed the retention window")
        .contains("file:///tmp/events/_sluice/deferred/_expired");
  }

  @Test
  void givenAsyncRunWithPlatformSink_whenSummarised_thenBatchReplacedBatchesAndRecordWarning() {
    AsyncIngestResult result =
        AsyncIngestResult.newBuilder()
            .requestId("750R")
            .tableUri("file:///tmp/contacts")
            .files(List.of("file:///tmp/contacts/part-0.parquet"))
            .rows(10)
            .bytes(2048)
            .pages(1)
            .polls(2)
            .timings(new AsyncIngestResult.StageTimings(1, 2, 3, 4))
            .egress(EGRESS)
            .build();

    watcher.printSummary("ingest/contacts/2026-11-02", result, null);

    assertThat(out.toString())
        .contains("provider job  750R")
        .contains("platform      batch 01BATCH success, 2 files (2.0 KiB)")
        .contains("replaced      01OLD")
        .contains("processing 10.0s (3 status checks)")
        .doesNotContain("deferral");
    assertThat(err.toString()).contains("warning: could not record the sent batch: disk full");
  }

  @Test
  void givenPlatformProgress_whenDescribed_thenStageBatchesAndLatestBatchStatus() {
    assertThat(
            RunWatcher.describe(
                (Object)
                    new PlatformIngestProgress(
                        PlatformIngestProgress.Stage.READING, 5, 2, 40, null)))
        .isEqualTo("reading  batches 2/5  rows 40");
    assertThat(
            RunWatcher.describe(
                (Object)
                    new PlatformIngestProgress(
                        PlatformIngestProgress.Stage.SETTLING, 0, 0, 0, "processing")))
        .isEqualTo("settling  latest batch processing");
  }

  @Test
  void givenARunWaitingForAPermit_whenDescribed_thenTheLineSaysWhatFor() {
    assertThat(
            RunWatcher.describe(
                (Object)
                    new dev.sluice.workflows.asyncingest.Progress(
                        dev.sluice.workflows.asyncingest.Progress.Stage.WAITING_FOR_PERMIT,
                        null,
                        0,
                        null,
                        0,
                        0,
                        "permit marketo-acme (2 of 2 running, number 3 in line)")))
        .isEqualTo(
            "waiting_for_permit  permit marketo-acme (2 of 2 running, number 3 in line)");
  }
}
