package dev.sluice.activities.fs;

import org.apache.hadoop.fs.LocalFileSystem;

/**
 * Hadoop's {@link LocalFileSystem} (checksummed {@code file:}) over {@link
 * InProcessRawLocalFileSystem}: the {@code FileSystem} that {@code fs.file.impl} names in {@link
 * HadoopFiles#defaultConfiguration()}. {@code FileSystem.get} caches one instance per scheme and
 * user, so whichever configuration first opens {@code file:} in a JVM decides which class serves
 * it; this one behaves as Hadoop's, without starting processes.
 */
public class InProcessLocalFileSystem extends LocalFileSystem {
  public InProcessLocalFileSystem() {
    super(new InProcessRawLocalFileSystem());
  }
}
