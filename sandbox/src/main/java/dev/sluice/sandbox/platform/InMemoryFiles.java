package dev.sluice.sandbox.platform;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;

/** Parquet's {@link InputFile} and {@link OutputFile} over byte arrays: uploads live in memory. */
final class InMemoryFiles {

  private InMemoryFiles() {}

  static InputFile input(byte[] bytes) {
    return new InputFile() {
      @Override
      public long getLength() {
        return bytes.length;
      }

      @Override
      public SeekableInputStream newStream() {
        Cursor cursor = new Cursor(bytes);
        return new DelegatingSeekableInputStream(cursor) {
          @Override
          public long getPos() {
            return cursor.position();
          }

          @Override
          public void seek(long newPos) {
            cursor.seek(newPos);
          }
        };
      }
    };
  }

  /** An output file whose bytes are in {@link #bytes()} once the writer is closed. */
  static final class Output implements OutputFile {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    byte[] bytes() {
      return buffer.toByteArray();
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return createOrOverwrite(blockSizeHint);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      buffer.reset();
      return new PositionOutputStream() {
        @Override
        public long getPos() {
          return buffer.size();
        }

        @Override
        public void write(int b) {
          buffer.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          buffer.write(b, off, len);
        }
      };
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }

  /** A {@link ByteArrayInputStream} that can tell and move its position. */
  private static final class Cursor extends ByteArrayInputStream {
    Cursor(byte[] bytes) {
      super(bytes);
    }

    long position() {
      return pos;
    }

    void seek(long newPos) {
      if (newPos < 0 || newPos > count) {
        throw new IllegalArgumentException("seek to " + newPos + " outside 0.." + count);
      }
      pos = (int) newPos;
    }

    @Override
    public void close() throws IOException {
      // Nothing to release.
    }
  }
}
