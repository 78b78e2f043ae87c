package dev.sluice.activities.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Parquet sink on {@code hdfs://}, against Hadoop's in-process MiniDFSCluster. */
class HdfsSinkTest extends SinkOnStorageContract {
  private static Path baseDir;
  private static HdfsServer server;
  private static Configuration conf;

  @BeforeAll
  static void startCluster() throws Exception {
    baseDir = Files.createTempDirectory("sluice-hdfs");
    server = HdfsServer.start(baseDir.toFile());
    conf = server.configuration();
  }

  @AfterAll
  static void stopCluster() {
    server.close();
    FileUtil.fullyDelete(baseDir.toFile());
  }

  @Override
  String root() {
    return server.uri() + "/tables";
  }

  @Override
  Configuration conf() {
    return conf;
  }
}
