package dev.sluice.activities.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One page's decoded body, kept until it is parsed: in memory while it is small, in a local spool
 * file once it outgrows {@link #memoryLimit()}. A page of a few MB (the usual result page) then
 * costs no file to create, write, read back and delete; a page of any size still streams through
 * the disk, never through the heap. At most two pages are held at once per extract (the one
 * parsed, the one fetched ahead: {@link PageAhead}).
 *
 * <p>Written by one thread (the fetch), then read by one other (the parse) after the hand-over,
 * which {@link PageAhead}'s future orders.
 */
final class PageBuffer implements AutoCloseable {
  /** Size of the in-memory chunks: the fetch's read size, so most writes fill one. */
  static final int CHUNK = 64 * 1024;

  /** The most of a page kept in memory: 16 MiB, or 1/64 of the heap on a small one. */
  static final long DEFAULT_MEMORY_LIMIT =
      Math.min(16L << 20, Runtime.getRuntime().maxMemory() / 64);

  private final Path spoolDirectory;
  private final long memoryLimit;
  private final Chunks pool;
  private List<byte[]> chunks = new ArrayList<>();
  /** Bytes used of the last chunk. */
  private int lastFill = CHUNK;

  private long size;
  private Path file;
  private OutputStream out;

  /**
   * @param spoolDirectory where a page larger than {@code memoryLimit} is spooled; null for the
   *     JVM's temp directory
   * @param memoryLimit the most bytes kept in memory; beyond, the whole body goes to a file
   */
  PageBuffer(Path spoolDirectory, long memoryLimit) {
    this(spoolDirectory, memoryLimit, new Chunks(0));
  }

  /** As above, taking its chunks from {@code pool} and giving them back when it is closed. */
  PageBuffer(Path spoolDirectory, long memoryLimit, Chunks pool) {
    this.spoolDirectory = spoolDirectory;
    this.memoryLimit = memoryLimit;
    this.pool = pool;
  }

  long memoryLimit() {
    return memoryLimit;
  }

  /** Bytes written so far. */
  long size() {
    return size;
  }

  /** Whether the body went to a spool file (it outgrew the memory limit). */
  boolean spilled() {
    return file != null;
  }

  /**
   * Appends {@code length} bytes.
   *
   * @throws UncheckedIOException when the spool file cannot be created or written: the worker's
   *     disk, not the provider's body
   */
  void write(byte[] bytes, int offset, int length) {
    if (file == null && size + length > memoryLimit) {
      spill();
    }
    if (file != null) {
      try {
        out.write(bytes, offset, length);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot spool a page to " + file + ": " + e, e);
      }
    } else {
      int at = offset;
      int left = length;
      while (left > 0) {
        if (lastFill == CHUNK) {
          chunks.add(pool.take());
          lastFill = 0;
        }
        int n = Math.min(left, CHUNK - lastFill);
        System.arraycopy(bytes, at, chunks.get(chunks.size() - 1), lastFill, n);
        lastFill += n;
        at += n;
        left -= n;
      }
    }
    size += length;
  }

  /** Whether the next {@link #readFrom} goes through its scratch buffer (to the spool file). */
  boolean spillsNext() {
    return file != null || size >= memoryLimit;
  }

  /** Receives the bytes of one read, where they now lie. */
  @FunctionalInterface
  interface Read {
    void bytes(byte[] bytes, int offset, int length);
  }

  /**
   * Reads once from {@code in} and appends what it gives: in memory straight into the last chunk
   * (no copy on the way), else through {@code scratch}. Appends the same bytes as reading into
   * {@code scratch} and {@link #write writing} them would, and spills at the same size.
   *
   * @param scratch a buffer for reads that go to the spool file ({@link #spillsNext()}); may be
   *     null otherwise
   * @param seen given the bytes read, where they lie in the buffer (a checksum's input)
   * @return the bytes read, or -1 at the end of {@code in}
   * @throws IOException from {@code in}
   * @throws UncheckedIOException when the spool file cannot be created or written
   */
  int readFrom(InputStream in, byte[] scratch, Read seen) throws IOException {
    long room = memoryLimit - size;
    if (spillsNext()) {
      int n = in.read(scratch, 0, scratch.length);
      if (n > 0) {
        write(scratch, 0, n);
        seen.bytes(scratch, 0, n);
      }
      return n;
    }
    if (lastFill == CHUNK) {
      chunks.add(pool.take());
      lastFill = 0;
    }
    byte[] last = chunks.get(chunks.size() - 1);
    int at = lastFill;
    int n = in.read(last, at, (int) Math.min(CHUNK - at, room));
    if (n > 0) {
      lastFill += n;
      size += n;
      seen.bytes(last, at, n);
    }
    return n;
  }

  /** Moves what is in memory to a new spool file, where the rest of the body goes too. */
  private void spill() {
    try {
      file =
          spoolDirectory == null
              ? Files.createTempFile("sluice-page-", ".body")
              : Files.createTempFile(spoolDirectory, "sluice-page-", ".body");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a spool file for a page: " + e, e);
    }
    try {
      out = Files.newOutputStream(file);
      for (int i = 0; i < chunks.size(); i++) {
        out.write(chunks.get(i), 0, i == chunks.size() - 1 ? lastFill : CHUNK);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spool a page to " + file + ": " + e, e);
    }
    pool.giveBack(chunks);
    chunks = List.of();
  }

  /**
   * Ends the writing: the body is complete.
   *
   * @throws UncheckedIOException when the spool file cannot be completed
   */
  void complete() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot spool a page to " + file + ": " + e, e);
      } finally {
        out = null;
      }
    }
  }

  /**
   * The body from its start, once {@link #complete()}.
   *
   * @throws UncheckedIOException when the spool file cannot be opened
   */
  InputStream open() {
    if (file != null) {
      try {
        return Files.newInputStream(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the spooled page " + file, e);
      }
    }
    return new ChunksInput(chunks, size);
  }

  /** Lets go of the body: its memory, or its spool file. Idempotent. */
  @Override
  public void close() {
    // Nobody reads the body any more (the parser's stream is closed): its chunks serve the next.
    pool.giveBack(chunks);
    chunks = List.of();
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        // Deleted next: nothing of it is used.
      }
      out = null;
    }
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A leftover temp file is harmless; the page's rows are what matters.
        file.toFile().deleteOnExit();
      }
    }
  }

  /**
   * Chunks of released pages, kept for the next pages of the same extract (at most two pages are
   * held at once): a 180 MB result then allocates (and zeroes, and collects) a couple of pages'
   * worth of chunks instead of all of them. Thread-safe: the fetch-ahead thread takes, the
   * extracting thread gives back.
   */
  static final class Chunks {
    private final int max;
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();

    /**
     * @param max the most chunks kept; 0 keeps none
     */
    Chunks(int max) {
      this.max = max;
    }

    /** Chunks to keep for {@code pages} pages of at most {@code memoryLimit} bytes. */
    static Chunks forPages(int pages, long memoryLimit) {
      long perPage = (memoryLimit + CHUNK - 1) / CHUNK;
      return new Chunks((int) Math.min(Integer.MAX_VALUE, pages * perPage));
    }

    synchronized byte[] take() {
      byte[] chunk = free.poll();
      return chunk != null ? chunk : new byte[CHUNK];
    }

    synchronized void giveBack(List<byte[]> chunks) {
      for (int i = 0; i < chunks.size() && free.size() < max; i++) {
        free.push(chunks.get(i));
      }
    }

    synchronized int size() {
      return free.size();
    }
  }

  /** The in-memory chunks as one stream. */
  private static final class ChunksInput extends InputStream {
    private final List<byte[]> chunks;
    private final long size;
    private long position;

    ChunksInput(List<byte[]> chunks, long size) {
      this.chunks = chunks;
      this.size = size;
    }

    @Override
    public int read() {
      if (position >= size) {
        return -1;
      }
      int b = chunks.get((int) (position / CHUNK))[(int) (position % CHUNK)] & 0xff;
      position++;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      if (position >= size) {
        return -1;
      }
      int read = 0;
      while (read < length && position < size) {
        int within = (int) (position % CHUNK);
        int n = (int) Math.min(Math.min(length - read, CHUNK - within), size - position);
        System.arraycopy(chunks.get((int) (position / CHUNK)), within, buffer, offset + read, n);
        read += n;
        position += n;
      }
      return read;
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, size - position);
    }
  }
}
