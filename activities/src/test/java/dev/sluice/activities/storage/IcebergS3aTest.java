package dev.sluice.activities.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.activities.iceberg.IcebergRuns;
import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.IcebergCatalogSpec;
import dev.sluice.pipeline.IcebergSink;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The iceberg sink's Hadoop catalog with its warehouse on {@code s3a://}, against s3proxy. */
class IcebergS3aTest {
  private static final String BUCKET = "sluice-iceberg";
  private static S3Server server;
  private static Configuration conf;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3Server.start(BUCKET);
    conf = server.configuration();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close(conf, BUCKET);
  }

  @Test
  void givenAWarehouseOnS3a_whenTwoWindowsCommitAndOneRunsAgain_thenTheTableIsExact() {
    IcebergRuns runs = new IcebergRuns(conf);
    IcebergSink sink =
        new IcebergSink(
            new IcebergCatalogSpec.Hadoop("s3a://" + BUCKET + "/wh"),
            "lake.events",
            "overwrite-window",
            List.of("day(ts)"),
            null,
            null,
            List.of(new ColumnSpec("id", "long", null), new ColumnSpec("ts", "timestamp", null)),
            null, null);

    runs.run(sink, "2026-11-01", "r1", List.of("id", "ts"),
        List.<Object[]>of(new Object[] {"1", "2026-11-01T01:00:00Z"}));
    runs.run(sink, "2026-11-02", "r2", List.of("id", "ts"),
        List.<Object[]>of(new Object[] {"2", "2026-11-02T01:00:00Z"}));
    runs.run(sink, "2026-11-01", "r3", List.of("id", "ts"),
        List.of(new Object[][] {{"1", "2026-11-01T01:00:00Z"}, {"3", "2026-11-01T02:00:00Z"}}));

    assertThat(runs.column(sink, "id")).containsExactlyInAnyOrder("1", "2", "3");
    assertThat(runs.table(sink).location()).startsWith("s3a://" + BUCKET + "/wh/lake/events");
  }
}
