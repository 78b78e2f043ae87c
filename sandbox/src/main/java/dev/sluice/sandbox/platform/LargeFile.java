package dev.sluice.sandbox.platform;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file uploaded in chunks ({@code PATCH} with {@code Content-Range: bytes start-end/total}). A
 * chunk sent again at the same start replaces the earlier one (a retried PATCH is harmless); ranges
 * are checked only when the file is completed, as the platform does: overlapping or missing chunks
 * are then a 400.
 */
final class LargeFile {

  private static final Pattern RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

  private final Map<Long, byte[]> chunks = new TreeMap<>();
  private long total = -1;

  /**
   * @throws PlatformFailure 400 for a missing or malformed range, or one that disagrees with the
   *     body
   */
  synchronized void put(String contentRange, byte[] body) {
    Matcher range = contentRange == null ? null : RANGE.matcher(contentRange.trim());
    if (range == null || !range.matches()) {
      throw PlatformFailure.badRequest(
          "Content-Range must be 'bytes start-end/total', got " + contentRange);
    }
    long start = Long.parseLong(range.group(1));
    long end = Long.parseLong(range.group(2));
    long size = Long.parseLong(range.group(3));
    if (end < start || end >= size || end - start + 1 != body.length) {
      throw PlatformFailure.badRequest(
          "Content-Range " + contentRange + " does not match a body of " + body.length + " bytes");
    }
    if (total >= 0 && total != size) {
      throw PlatformFailure.badRequest(
          "Content-Range total " + size + " differs from earlier chunks' " + total);
    }
    total = size;
    chunks.put(start, body);
  }

  /**
   * @throws PlatformFailure 400 when the chunks overlap, leave a gap or were never sent
   */
  synchronized byte[] assemble() {
    if (total < 0) {
      throw PlatformFailure.badRequest("no chunks were uploaded");
    }
    byte[] file = new byte[(int) total];
    long next = 0;
    for (Map.Entry<Long, byte[]> chunk : chunks.entrySet()) {
      if (chunk.getKey() != next) {
        throw PlatformFailure.badRequest(
            (chunk.getKey() < next ? "overlapping chunks at byte " : "missing bytes from ")
                + Math.min(next, chunk.getKey()));
      }
      System.arraycopy(chunk.getValue(), 0, file, (int) next, chunk.getValue().length);
      next += chunk.getValue().length;
    }
    if (next != total) {
      throw PlatformFailure.badRequest("missing bytes from " + next + " of " + total);
    }
    return file;
  }
}
