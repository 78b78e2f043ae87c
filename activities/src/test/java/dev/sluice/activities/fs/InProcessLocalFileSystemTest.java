package dev.sluice.activities.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.local.LocalFs;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link InProcessLocalFileSystem} and {@link InProcessLocalFs} give the results of Hadoop's stock
 * local file system for what Sluice does, and start no process doing it.
 */
class InProcessLocalFileSystemTest {
  @TempDir java.nio.file.Path tmp;

  /** A configuration naming the given {@code file:} classes, uncached, with a telling umask. */
  private static Configuration conf(Class<?> fileSystem, Class<?> abstractFileSystem) {
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", fileSystem.getName());
    conf.set("fs.AbstractFileSystem.file.impl", abstractFileSystem.getName());
    // FileSystem.get caches one instance per scheme for the JVM: other tests may have opened file:.
    conf.setBoolean("fs.file.impl.disable.cache", true);
    conf.set("fs.permissions.umask-mode", "027");
    return conf;
  }

  private static Configuration stock() {
    return conf(LocalFileSystem.class, LocalFs.class);
  }

  private static Configuration inProcess() {
    return conf(InProcessLocalFileSystem.class, InProcessLocalFs.class);
  }

  /** What HadoopFiles' callers do on file: (receipts, watermarks, staging moves). */
  private static void sluiceOperations(Configuration conf, java.nio.file.Path root)
      throws IOException {
    HadoopFiles files = new HadoopFiles(conf);
    String base = root.toUri().toString();
    files.writeStringAtomically(base + "state/watermark.json", "one");
    files.writeStringAtomically(base + "state/watermark.json", "two");
    assertTrue(files.createIfAbsent(base + "receipts/r1", "first"));
    assertFalse(files.createIfAbsent(base + "receipts/r1", "second"));
    FileSystem fs = files.fs(base);
    Path staged = new Path(base + "staging/part-0.parquet");
    try (OutputStream out = fs.create(staged, false)) {
      out.write("rows".getBytes(StandardCharsets.UTF_8));
    }
    fs.mkdirs(new Path(base + "table"));
    files.moveOverwriting(fs, staged, new Path(base + "table/part-0.parquet"));
    try (OutputStream out = fs.create(staged, true)) {
      out.write("rows again".getBytes(StandardCharsets.UTF_8));
    }
    files.moveOverwriting(fs, staged, new Path(base + "table/part-0.parquet"));
    fs.mkdirs(new Path(base + "table/metadata/deep"));
    fs.listStatus(new Path(base + "table"));
    files.delete(base + "staging");
  }

  /** Every path under {@code root} with its kind, length, content and Hadoop's permission. */
  private static Map<String, String> snapshot(Configuration conf, java.nio.file.Path root)
      throws IOException {
    FileSystem fs = FileSystem.get(root.toUri(), conf);
    Map<String, String> seen = new TreeMap<>();
    List<Path> todo = new ArrayList<>(List.of(new Path(root.toUri())));
    while (!todo.isEmpty()) {
      for (FileStatus s : fs.listStatus(todo.remove(0))) {
        String name = root.toUri().relativize(s.getPath().toUri()).toString();
        String content =
            s.isFile() ? Files.readString(java.nio.file.Path.of(s.getPath().toUri())) : "";
        seen.put(name, (s.isDirectory() ? "dir " : "file ") + s.getPermission() + " " + content);
        if (s.isDirectory()) {
          todo.add(s.getPath());
        }
      }
    }
    return seen;
  }

  @Test
  void givenSluiceOperations_whenRunOnBoth_thenTreesContentsAndPermissionsAreTheSame()
      throws IOException {
    java.nio.file.Path a = Files.createDirectory(tmp.resolve("stock"));
    java.nio.file.Path b = Files.createDirectory(tmp.resolve("in-process"));
    sluiceOperations(stock(), a);
    sluiceOperations(inProcess(), b);

    Map<String, String> expected = snapshot(stock(), a);
    assertEquals(expected, snapshot(stock(), b));
    // The umask applies: files rw-r-----, directories rwxr-x---, whoever created them.
    assertEquals("file rw-r----- two", expected.get("state/watermark.json"));
    assertEquals("file rw-r----- first", expected.get("receipts/r1"));
    assertEquals("file rw-r----- rows again", expected.get("table/part-0.parquet"));
    assertEquals("dir rwxr-x--- ", expected.get("table/metadata/deep"));
    assertFalse(expected.keySet().stream().anyMatch(k -> k.startsWith("staging")));
  }

  @Test
  void givenExplicitPermissions_whenSetOnBoth_thenHadoopReadsTheSameBack() throws IOException {
    for (String mode : new String[] {"0600", "0711", "0000", "0777", "1777", "0754"}) {
      FsPermission permission = new FsPermission(mode);
      List<String> results = new ArrayList<>();
      for (Configuration conf : List.of(stock(), inProcess())) {
        FileSystem fs = FileSystem.get(tmp.toUri(), conf);
        Path dir = new Path(tmp.toUri().toString(), "d" + results.size() + "-" + mode);
        Path file = new Path(dir, "f");
        fs.mkdirs(dir);
        fs.create(file).close();
        fs.setPermission(file, permission);
        fs.setPermission(dir, permission);
        FileSystem reader = FileSystem.get(tmp.toUri(), stock());
        results.add(
            reader.getFileStatus(file).getPermission()
                + " "
                + reader.getFileStatus(dir).getPermission());
        fs.setPermission(dir, new FsPermission("0755"));
      }
      assertEquals(results.get(0), results.get(1), mode);
      assertEquals(permission + " " + permission, results.get(1), mode);
    }
  }

  @Test
  void givenSetgidDirectory_whenPermissionSetOnBoth_thenBothKeepTheSetgidBitAsChmodDoes()
      throws Exception {
    List<Integer> modes = new ArrayList<>();
    for (Configuration conf : List.of(stock(), inProcess())) {
      java.nio.file.Path dir = Files.createTempDirectory(tmp, "setgid");
      // java.nio cannot set the bit: the test's own chmod does, as a shared data folder has it.
      assertEquals(0, new ProcessBuilder("chmod", "2770", dir.toString()).start().waitFor());
      FileSystem fs = FileSystem.get(tmp.toUri(), conf);
      fs.setPermission(new Path(dir.toUri()), new FsPermission("0750"));
      modes.add((Integer) Files.getAttribute(dir, "unix:mode") & 07777);
    }
    assertEquals(List.of(02750, 02750), modes);
  }

  @Test
  void givenFileContextRenames_whenRunOnBoth_thenSameOutcomesAndFailures() throws Exception {
    List<String> outcomes = new ArrayList<>();
    for (Configuration conf : List.of(stock(), inProcess())) {
      java.nio.file.Path root = Files.createTempDirectory(tmp, "rename");
      FileContext fc = FileContext.getFileContext(root.toUri(), conf);
      Path src = new Path(root.toUri().toString(), "src");
      Path dst = new Path(root.toUri().toString(), "dst");
      Files.writeString(root.resolve("src"), "a");
      Files.writeString(root.resolve("dst"), "b");
      assertThrows(
          FileAlreadyExistsException.class, () -> fc.rename(src, dst, Options.Rename.NONE));
      fc.rename(src, dst, Options.Rename.OVERWRITE);
      Path other = new Path(root.toUri().toString(), "other");
      fc.rename(dst, other, Options.Rename.NONE);
      assertThrows(
          FileNotFoundException.class, () -> fc.rename(src, dst, Options.Rename.OVERWRITE));
      assertThrows(FileNotFoundException.class, () -> fc.getFileLinkStatus(src));

      java.nio.file.Path link =
          Files.createSymbolicLink(root.resolve("link"), root.resolve("other"));
      FileStatus qualified = fc.getFileLinkStatus(new Path(link.toUri()));
      FileStatus plain = fc.getDefaultFileSystem().getFileLinkStatus(new Path(link.toString()));
      FileStatus direct =
          FileSystem.get(root.toUri(), conf).getFileLinkStatus(new Path(link.toString()));
      outcomes.add(
          Files.readString(root.resolve("other"))
              + Files.exists(root.resolve("src"))
              + Files.exists(root.resolve("dst"))
              + describe(qualified, root)
              + describe(plain, root)
              + describe(direct, root)
              + describe(fc.getFileLinkStatus(new Path(root.toUri().toString(), "other")), root));
    }
    assertEquals(outcomes.get(0), outcomes.get(1));
  }

  private static String describe(FileStatus s, java.nio.file.Path root) throws IOException {
    String path = s.getPath().toString().replace(root.toString(), "ROOT");
    String target = s.isSymlink() ? s.getSymlink().toString().replace(root.toString(), "ROOT") : "";
    return " [" + path + " dir=" + s.isDirectory() + " link=" + s.isSymlink() + " " + target
        + " len=" + s.getLen() + "]";
  }

  @Test
  void givenSluiceOperations_whenRun_thenStockStartsProcessesAndInProcessStartsNone()
      throws Exception {
    // Hadoop's Shell starts a process (setsid) when its class initialises: do that outside the
    // recordings, whichever test ran first in this JVM.
    Class.forName("org.apache.hadoop.util.Shell", true, getClass().getClassLoader());

    long stockStarts =
        processStarts(() -> sluiceOperations(stock(), Files.createDirectory(tmp.resolve("s"))));
    long inProcessStarts =
        processStarts(() -> sluiceOperations(inProcess(), Files.createDirectory(tmp.resolve("i"))));

    // The control: the recording does see Hadoop's chmod and readlink processes.
    assertTrue(stockStarts > 0, "stock process starts: " + stockStarts);
    assertEquals(0, inProcessStarts);
  }

  interface Operations {
    void run() throws Exception;
  }

  /** The processes this thread starts while running {@code operations}, from JFR's events. */
  private long processStarts(Operations operations) throws Exception {
    java.nio.file.Path dump = Files.createTempFile(tmp, "processes", ".jfr");
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ProcessStart");
      recording.start();
      operations.run();
      recording.stop();
      recording.dump(dump);
    }
    long thread = Thread.currentThread().getId();
    long starts = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(dump)) {
      if (event.getThread() != null && event.getThread().getJavaThreadId() == thread) {
        starts++;
      }
    }
    return starts;
  }
}
