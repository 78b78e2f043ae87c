package dev.sluice.activities.storage;

import java.io.File;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * Hadoop's own HDFS in this JVM: one NameNode and one DataNode on free ports of 127.0.0.1, their
 * storage under a temporary directory.
 */
final class HdfsServer implements AutoCloseable {
  private final MiniDFSCluster cluster;

  private HdfsServer(MiniDFSCluster cluster) {
    this.cluster = cluster;
  }

  static HdfsServer start(File baseDir) throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.getAbsolutePath());
    // Loopback only, and no web UIs: nothing a test needs listens beyond 127.0.0.1.
    conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    MiniDFSCluster cluster =
        new MiniDFSCluster.Builder(conf, baseDir).numDataNodes(1).format(true).build();
    cluster.waitActive();
    return new HdfsServer(cluster);
  }

  /** {@code hdfs://127.0.0.1:<port>} */
  String uri() {
    return cluster.getURI().toString();
  }

  /** A client configuration for this cluster, as a worker's {@code core-site.xml} would give. */
  Configuration configuration() {
    Configuration conf = new Configuration();
    conf.set("fs.defaultFS", uri());
    return conf;
  }

  @Override
  public void close() {
    cluster.shutdown();
  }
}
