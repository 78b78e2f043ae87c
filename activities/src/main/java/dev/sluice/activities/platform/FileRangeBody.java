package dev.sluice.activities.platform;

import java.io.EOFException;
import java.io.IOException;
import java.util.function.LongConsumer;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A byte range of a file on a Hadoop file system as a request body, streamed in small buffers:
 * never more than {@value #BUFFER} bytes of it in memory. Each write reopens the file and seeks, so
 * OkHttp may replay the body on a fresh connection.
 */
final class FileRangeBody extends RequestBody {
  static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
  private static final int BUFFER = 64 * 1024;

  private final FileSystem fs;
  private final Path path;
  private final long start;
  private final long length;
  private final LongConsumer progress;

  /**
   * @param progress told the number of bytes of this range written so far, after every buffer (the
   *     caller heartbeats from it; a slow chunk must not look like a dead worker)
   */
  FileRangeBody(FileSystem fs, Path path, long start, long length, LongConsumer progress) {
    this.fs = fs;
    this.path = path;
    this.start = start;
    this.length = length;
    this.progress = progress;
  }

  @Override
  public MediaType contentType() {
    return OCTET_STREAM;
  }

  @Override
  public long contentLength() {
    return length;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    byte[] buffer = new byte[BUFFER];
    try (FSDataInputStream in = fs.open(path)) {
      if (start > 0) {
        in.seek(start);
      }
      long left = length;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new EOFException(path + " ended " + left + " bytes before the end of the range");
        }
        sink.write(buffer, 0, n);
        left -= n;
        progress.accept(length - left);
      }
    }
  }
}
