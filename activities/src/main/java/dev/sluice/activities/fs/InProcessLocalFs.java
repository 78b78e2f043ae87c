package dev.sluice.activities.fs;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFs;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FsConstants;
import org.apache.hadoop.fs.FsServerDefaults;
import org.apache.hadoop.fs.local.LocalConfigKeys;

/**
 * The {@code FileContext} side of {@link InProcessLocalFileSystem}, named by {@code
 * fs.AbstractFileSystem.file.impl} in {@link HadoopFiles#defaultConfiguration()}. Hadoop's {@code
 * org.apache.hadoop.fs.local.LocalFs} is a {@link ChecksumFs} over {@code RawLocalFs}, a {@link
 * DelegateToFileSystem} over a {@code new RawLocalFileSystem()} that cannot be replaced; this is
 * the same stack over {@link InProcessRawLocalFileSystem}. Symbolic links, link targets and link
 * status go to the delegate, as in Hadoop 3.4's {@code RawLocalFs}.
 */
public class InProcessLocalFs extends ChecksumFs {
  /** Called by {@code AbstractFileSystem.createFileSystem} for {@code file:} URIs. */
  public InProcessLocalFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
    super(new Raw(uri, conf));
  }

  /** {@code RawLocalFs}'s overrides, over {@link InProcessRawLocalFileSystem}. */
  static final class Raw extends DelegateToFileSystem {
    Raw(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(
          uri,
          new InProcessRawLocalFileSystem(),
          conf,
          FsConstants.LOCAL_FS_URI.getScheme(),
          false);
    }

    @Override
    public int getUriDefaultPort() {
      return -1; // no authority in file: URIs
    }

    @Override
    @SuppressWarnings("deprecation")
    public FsServerDefaults getServerDefaults() throws IOException {
      return LocalConfigKeys.getServerDefaults();
    }

    @Override
    public FsServerDefaults getServerDefaults(org.apache.hadoop.fs.Path f) throws IOException {
      return LocalConfigKeys.getServerDefaults();
    }

    @Override
    public boolean isValidName(String src) {
      return true; // any local path name is valid, as in RawLocalFs
    }
  }
}
