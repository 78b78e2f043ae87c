package dev.sluice.activities.iceberg.maintenance;

import static dev.sluice.activities.iceberg.maintenance.TestTables.append;
import static dev.sluice.activities.iceberg.maintenance.TestTables.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.iceberg.IcebergCatalogs;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.IcebergCatalogSpec;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.Expire;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.ExpireRequest;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.ExpireResult;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.Orphans;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.OrphansRequest;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.OrphansResult;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.Rewrite;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.RewriteRequest;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.RewriteResult;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The maintenance workflow's activities on a real Hadoop table: the CLI's classes, by request. */
class IcebergTableActivitiesTest {
  @TempDir Path dir;

  private IcebergSink sink(String mode) {
    return new IcebergSink(
        new IcebergCatalogSpec.Hadoop(dir.toUri().toString()), "ns.t", mode, null, null, null,
        null, null, null);
  }

  private IcebergTableActivitiesImpl activities() {
    Configuration conf = new Configuration();
    return new IcebergTableActivitiesImpl(
        new IcebergCatalogs(conf, SecretResolver.fromSystem()),
        new HadoopFiles(conf),
        Clock.systemUTC());
  }

  @Test
  void givenSmallFiles_whenEachStepRuns_thenTheyAreCompactedAndNothingRecentGoes() {
    Table table = TestTables.create(dir.resolve("ns/t"));
    for (long i = 0; i < 3; i++) {
      append(table, List.of(row(table, "id", i, "day", "d1")), Map.of());
    }
    IcebergTableActivitiesImpl activities = activities();

    ExpireResult expired =
        activities.expireSnapshots(new ExpireRequest(sink(null), new Expire(null, null)));
    RewriteResult rewritten =
        activities.rewriteFiles(new RewriteRequest(sink(null), new Rewrite("64MB")));
    OrphansResult orphans =
        activities.removeOrphanFiles(
            new OrphansRequest(sink(null), new Orphans(Duration.ofDays(1))));

    assertThat(expired).isEqualTo(new ExpireResult(0, 3));
    assertThat(rewritten.partitions()).isEqualTo(1);
    assertThat(rewritten.filesBefore()).isEqualTo(3);
    assertThat(rewritten.filesAfter()).isEqualTo(1);
    assertThat(TestTables.dataFiles(table)).isEqualTo(1);
    assertThat(TestTables.rows(table)).hasSize(3);
    assertThat(orphans.deleted()).isZero(); // the replaced files are too young
  }

  @Test
  void givenNoTableYet_whenMaintained_thenEveryStepAnswersZero() {
    IcebergTableActivitiesImpl activities = activities();

    assertThat(activities.expireSnapshots(new ExpireRequest(sink(null), new Expire(null, null))))
        .isEqualTo(new ExpireResult(0, 0));
    assertThat(activities.rewriteFiles(new RewriteRequest(sink(null), new Rewrite(null))))
        .isEqualTo(new RewriteResult(null, 0, 0, 0));
  }

  @Test
  void givenAnOverwriteWindowSink_whenRewriteAsked_thenItFailsWithoutRetry() {
    assertThatThrownBy(
            () ->
                activities()
                    .rewriteFiles(
                        new RewriteRequest(sink("overwrite-window"), new Rewrite(null))))
        .isInstanceOfSatisfying(
            ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
        .hasMessageContaining("overwrite-window");
  }
}
