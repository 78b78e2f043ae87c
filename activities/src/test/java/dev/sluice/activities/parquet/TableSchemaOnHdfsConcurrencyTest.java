package dev.sluice.activities.parquet;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link TableSchemaConcurrencyTest} on HDFS (Hadoop's in-process MiniDFSCluster on 127.0.0.1),
 * where a version is created by a rename without overwrite, which the NameNode refuses atomically
 * when the name exists.
 */
class TableSchemaOnHdfsConcurrencyTest extends TableSchemaConcurrencyTest {
  private static Path baseDir;
  private static MiniDFSCluster cluster;
  private static int tables;

  @BeforeAll
  static void startCluster() throws Exception {
    baseDir = Files.createTempDirectory("sluice-hdfs-schema");
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toString());
    // Loopback only, and no web UIs.
    conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    cluster = new MiniDFSCluster.Builder(conf, baseDir.toFile()).numDataNodes(1).build();
    cluster.waitActive();
  }

  @AfterAll
  static void stopCluster() {
    cluster.shutdown();
    FileUtil.fullyDelete(baseDir.toFile());
  }

  private final String table = cluster.getURI() + "/tables/t" + (++tables);

  @Override
  Configuration configuration() {
    Configuration conf = new Configuration();
    conf.set("fs.defaultFS", cluster.getURI().toString());
    return conf;
  }

  /** Fewer rounds: each staged file is a few NameNode and DataNode calls. */
  @Override
  int rounds() {
    return 4;
  }

  @Override
  String table() {
    return table;
  }
}
