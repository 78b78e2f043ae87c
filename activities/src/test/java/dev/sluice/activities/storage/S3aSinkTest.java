package dev.sluice.activities.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.parquet.ParquetSinkActivitiesImpl;
import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.workflows.activities.Messages.WatermarkRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Parquet sink on {@code s3a://}, against an in-process S3 API server. */
class S3aSinkTest extends SinkOnStorageContract {
  private static final String BUCKET = "sluice-s3a-sink";
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
  void givenS3aSettingsInHadoopConfDir_whenWorkerConfigurationLoaded_thenSinkPublishesThroughThem(
      @TempDir Path confDir) throws IOException {
    try (OutputStream out = Files.newOutputStream(confDir.resolve("core-site.xml"))) {
      conf.writeXml(out); // what a user would put in core-site.xml for this endpoint
    }
    Configuration loaded =
        HadoopFiles.defaultConfiguration(Map.of("HADOOP_CONF_DIR", confDir.toString())::get);
    // A bucket of its own: S3A clients are cached per bucket, so this one is built from `loaded`.
    String bucket = "sluice-conf-dir";
    server.createBucket(bucket);
    String table = "s3a://" + bucket + "/events";
    ParquetSinkActivitiesImpl sink = new ParquetSinkActivitiesImpl(new HadoopFiles(loaded));
    WriterState state = stageWith(new HadoopFiles(loaded), sink(table, "append"), "run-1", 0, 60);

    sink.publish(publishRequest(sink(table, "append"), "run-1", state));

    assertThat(new TableFiles(loaded).rows(table)).containsExactlyElementsOf(rows(0, 60));
    assertThat(sink.readWatermark(new WatermarkRequest(sink(table, "append"))).watermark())
        .isEqualTo(state.maxWatermark());
    org.apache.hadoop.fs.FileSystem.get(java.net.URI.create(table), loaded).close();
  }

  @Test
  void givenWrongSecretForTheBucket_whenReadingWatermark_thenFailsWithoutRevealingTheSecret() {
    Configuration wrong = new Configuration(conf);
    wrong.set("fs.s3a.bucket.sluice-wrong-key.secret.key", "not-the-secret");
    server.createBucket("sluice-wrong-key");
    ParquetSink sink = sink("s3a://sluice-wrong-key/t", "append");

    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    new ParquetSinkActivitiesImpl(new HadoopFiles(wrong))
                        .readWatermark(new WatermarkRequest(sink))))
        .isNotNull()
        .hasMessageContaining("s3a://sluice-wrong-key/t")
        .hasMessageNotContaining("not-the-secret")
        .hasMessageNotContaining(S3Server.SECRET_KEY);
  }

  @Override
  String root() {
    return "s3a://" + BUCKET + "/tables";
  }

  @Override
  Configuration conf() {
    return conf;
  }
}
