package dev.sluice.activities.fs;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.nativeio.NativeIO;

/**
 * Hadoop's raw local file system with its two process-starting primitives done in this JVM.
 * Without Hadoop's native library, {@link RawLocalFileSystem} runs {@code chmod} for every {@link
 * #setPermission} (each {@code mkdirs} and {@code create}) and {@code readlink} for every {@link
 * #getFileLinkStatus} (each {@code FileContext.rename}): about 39 forks of the worker's JVM per
 * pipeline run. Everything else is Hadoop's; where {@code java.nio.file} cannot do exactly what the
 * stock code does, the stock code runs.
 *
 * <p>Registered for {@code file:} by {@link HadoopFiles#defaultConfiguration()}, wrapped by {@link
 * InProcessLocalFileSystem} ({@code FileSystem}) and {@link InProcessLocalFs} ({@code
 * FileContext}).
 */
public class InProcessRawLocalFileSystem extends RawLocalFileSystem {
  /** {@code chmod}'s bits that {@link PosixFilePermission} has no name for. */
  private static final int SPECIAL_BITS = 07000;

  /** {@link PosixFilePermission} in the order of its bits, owner read (0400) first. */
  private static final PosixFilePermission[] BITS = {
    PosixFilePermission.OWNER_READ,
    PosixFilePermission.OWNER_WRITE,
    PosixFilePermission.OWNER_EXECUTE,
    PosixFilePermission.GROUP_READ,
    PosixFilePermission.GROUP_WRITE,
    PosixFilePermission.GROUP_EXECUTE,
    PosixFilePermission.OTHERS_READ,
    PosixFilePermission.OTHERS_WRITE,
    PosixFilePermission.OTHERS_EXECUTE,
  };

  /**
   * Sets the nine permission bits as Hadoop's {@code chmod %04o} does. Falls back to Hadoop's own
   * implementation when its native library is loaded (already in-process), when the mode has the
   * sticky bit, when the file already has a setuid, setgid or sticky bit (GNU {@code chmod} with
   * four digits keeps a directory's setuid and setgid bits, a plain {@code chmod(2)} clears them),
   * on a file system without POSIX attributes, and on any error, so that the exception is the one
   * Hadoop throws.
   */
  @Override
  public void setPermission(Path p, FsPermission permission) throws IOException {
    if (NativeIO.isAvailable() || !setInProcess(p, permission)) {
      super.setPermission(p, permission);
    }
  }

  private boolean setInProcess(Path p, FsPermission permission) {
    int mode = permission.toShort();
    if ((mode & SPECIAL_BITS) != 0) {
      return false;
    }
    try {
      java.nio.file.Path file = pathToFile(p).toPath();
      // Follows a symbolic link, as chmod does.
      int current = (Integer) Files.getAttribute(file, "unix:mode");
      if ((current & SPECIAL_BITS) != 0) {
        return false;
      }
      Files.setPosixFilePermissions(file, posix(mode));
      return true;
    } catch (IOException
        | UnsupportedOperationException
        | IllegalArgumentException
        | ClassCastException e) {
      return false;
    }
  }

  private static Set<PosixFilePermission> posix(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < BITS.length; i++) {
      if ((mode & (0400 >> i)) != 0) {
        set.add(BITS[i]);
      }
    }
    return set;
  }

  /**
   * The status of {@code f} without following a final symbolic link. When {@code f} is not a
   * symbolic link this is {@link #getFileStatus}, which is what Hadoop returns after its {@code
   * readlink} finds no link (including {@code FileNotFoundException} for a missing path); for a
   * symbolic link, Hadoop's implementation. Hadoop checks {@code new File(f.toString())}, which for
   * a qualified {@code file:/…} path (what {@code FileContext} passes) names no file, so it never
   * sees a link there; this class defers to Hadoop when either that file or the real one is a link,
   * so it answers as Hadoop does in both cases.
   */
  @Override
  public FileStatus getFileLinkStatus(Path f) throws IOException {
    // Hadoop 3.4 reads links with a readlink process even when its native library is loaded.
    if (maybeSymlink(f)) {
      return super.getFileLinkStatus(f);
    }
    return getFileStatus(f);
  }

  private boolean maybeSymlink(Path f) {
    try {
      return Files.isSymbolicLink(new File(f.toString()).toPath())
          || Files.isSymbolicLink(pathToFile(f).toPath());
    } catch (IllegalArgumentException e) { // InvalidPathException, or a path of another scheme
      return true;
    }
  }
}
