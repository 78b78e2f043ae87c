package dev.sluice.activities.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which classes serve {@code file:} in the worker's Hadoop configuration. */
class HadoopFilesConfigurationTest {
  @TempDir java.nio.file.Path tmp;

  @Test
  void givenNoUserSetting_whenDefaultConfiguration_thenInProcessClassesServeFile()
      throws IOException {
    Configuration conf = HadoopFiles.defaultConfiguration(Map.<String, String>of()::get);
    conf.setBoolean("fs.file.impl.disable.cache", true);

    assertEquals(
        InProcessLocalFileSystem.class, FileSystem.get(URI.create("file:///"), conf).getClass());
    assertEquals(
        InProcessLocalFs.class,
        FileContext.getFileContext(URI.create("file:///"), conf).getDefaultFileSystem().getClass());
  }

  @Test
  void givenCoreSiteSettingFileClasses_whenDefaultConfiguration_thenTheUsersClassesWin()
      throws IOException {
    Files.writeString(
        tmp.resolve("core-site.xml"),
        "<configuration>"
            + "<property><name>fs.file.impl</name>"
            + "<value>org.apache.hadoop.fs.RawLocalFileSystem</value></property>"
            + "<property><name>fs.AbstractFileSystem.file.impl</name>"
            + "<value>org.apache.hadoop.fs.local.RawLocalFs</value></property>"
            + "</configuration>");
    Configuration conf =
        HadoopFiles.defaultConfiguration(Map.of("HADOOP_CONF_DIR", tmp.toString())::get);

    assertEquals("org.apache.hadoop.fs.RawLocalFileSystem", conf.get("fs.file.impl"));
    assertEquals(
        "org.apache.hadoop.fs.local.RawLocalFs", conf.get("fs.AbstractFileSystem.file.impl"));
  }
}
