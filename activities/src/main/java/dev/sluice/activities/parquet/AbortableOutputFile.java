package dev.sluice.activities.parquet;

import java.io.IOException;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * An {@link OutputFile} whose stream can be closed without the writer: abandoning a file must not
 * spend time flushing a row group and writing a footer for a file about to be deleted.
 */
final class AbortableOutputFile implements OutputFile {
  private final OutputFile delegate;
  private PositionOutputStream stream;

  AbortableOutputFile(OutputFile delegate) {
    this.delegate = delegate;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    stream = delegate.create(blockSizeHint);
    return stream;
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
    stream = delegate.createOrOverwrite(blockSizeHint);
    return stream;
  }

  @Override
  public boolean supportsBlockSize() {
    return delegate.supportsBlockSize();
  }

  @Override
  public long defaultBlockSize() {
    return delegate.defaultBlockSize();
  }

  @Override
  public String getPath() {
    return delegate.getPath();
  }

  /** Closes the underlying stream, if one was opened, leaving the file incomplete. */
  void abort() throws IOException {
    if (stream != null) {
      stream.close();
    }
  }
}
