package dev.sluice.activities.download;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.pipeline.FilesSource;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesResult;
import dev.sluice.workflows.filedownload.FileDownloadMessages.ListFilesRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.ListFilesResult;
import dev.sluice.workflows.filedownload.FileDownloadPaths;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An {@code hdfs://} prefix downloaded into a lake that is on HDFS too (so the land is HDFS's
 * atomic rename), against Hadoop's in-process MiniDFSCluster on 127.0.0.1.
 */
class HdfsPrefixFileDownloadTest {
  private static Path baseDir;
  private static MiniDFSCluster cluster;
  private static String root;

  @BeforeAll
  static void startCluster() throws Exception {
    baseDir = Files.createTempDirectory("sluice-hdfs-download");
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toFile().getAbsolutePath());
    // Loopback only, and no web UIs (as the storage tests' HdfsServer).
    conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    cluster =
        new MiniDFSCluster.Builder(conf, baseDir.toFile()).numDataNodes(1).format(true).build();
    cluster.waitActive();
    root = cluster.getURI().toString();
  }

  @AfterAll
  static void stopCluster() {
    cluster.shutdown();
    FileUtil.fullyDelete(baseDir.toFile());
  }

  private static void put(FileSystem fs, String path, String content) throws Exception {
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(path), true)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String get(FileSystem fs, String path) throws Exception {
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(path))) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      return b.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void givenAnHdfsPrefix_whenListedAndDownloadedTwice_thenFilesLandOnHdfsOnceAndThenAreSkipped()
      throws Exception {
    Configuration conf = new Configuration();
    conf.set("fs.defaultFS", root);
    HadoopFiles files = new HadoopFiles(conf);
    FileSystem fs = files.fs(root + "/");
    put(fs, root + "/drop/2026/11/a.csv", "id\n1\n");
    put(fs, root + "/drop/2026/11/b.csv", "id\n2\n");
    put(fs, root + "/drop/2026/11/notes.txt", "skip me\n");
    String lake = root + "/lake/drop";
    String key = "ingest_drop_2026-11-22";
    FilesSource source = new FilesSource(null, null, root + "/drop", "**.csv", null, 2, null, null);
    DownloadFilesRequest download =
        new DownloadFilesRequest(
            source,
            FileDownloadPaths.listing(lake, key),
            0,
            2,
            lake,
            FileDownloadPaths.incoming(lake, key),
            Map.of());

    try (DownloadEnvironment env = new DownloadEnvironment(files, Map.of())) {
      ListFilesResult listed =
          env.list(new ListFilesRequest(source, FileDownloadPaths.listing(lake, key), Map.of()));
      DownloadFilesResult first = env.download(download);
      DownloadFilesResult second = env.download(download);

      assertThat(listed.files()).isEqualTo(2);
      assertThat(first.downloaded()).isEqualTo(2);
      assertThat(second.skipped()).isEqualTo(2);
    }
    assertThat(get(fs, lake + "/2026/11/a.csv")).isEqualTo("id\n1\n");
    assertThat(get(fs, lake + "/2026/11/b.csv")).isEqualTo("id\n2\n");
    assertThat(fs.exists(new org.apache.hadoop.fs.Path(lake + "/2026/11/notes.txt"))).isFalse();
    assertThat(
            fs.exists(new org.apache.hadoop.fs.Path(lake + "/_sluice/landed/2026/11/a.csv.json")))
        .isTrue();
  }
}
