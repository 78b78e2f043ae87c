package dev.sluice.activities.download;

/**
 * What the source said of a file when it landed, kept at {@code <path>/_sluice/landed/<name>.json}.
 * A sidecar rather than the landed file's own modification time: S3A cannot set a time on an object
 * ({@code setTimes} does nothing there), and a sidecar also keeps the checksum and where the file
 * came from.
 *
 * @param name where it landed
 * @param location where it came from (URL without its query string, which may hold a signature)
 * @param size its size
 * @param modified the source's modification time, or null
 * @param checksum the checksum the listing gave, or null
 * @param algorithm its algorithm, or null
 * @param runKey the run that landed it
 */
public record LandedManifest(
    String name,
    String location,
    long size,
    String modified,
    String checksum,
    String algorithm,
    String runKey) {

  /** Whether {@code listed} is the file this manifest describes (same size, same time or sum). */
  boolean sameAs(ListedFile listed) {
    if (listed.size() == null || listed.size() != size) {
      return false;
    }
    if (listed.modified() != null) {
      return listed.modified().equals(modified);
    }
    // No time from the source: only an equal checksum says it is the same file.
    return listed.checksum() != null
        && checksum != null
        && Checksums.sameValue(listed.checksum(), checksum);
  }
}
