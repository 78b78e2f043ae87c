package dev.sluice.activities.formats;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;

/** Bytes of a page that are not valid in its charset; parsers turn it into malformed data. */
final class UndecodableBytesException extends CharacterCodingException {
  private final Charset charset;
  private final long byteOffset;
  private final String bytes;

  UndecodableBytesException(Charset charset, long byteOffset, String bytes) {
    this.charset = charset;
    this.byteOffset = byteOffset;
    this.bytes = bytes;
  }

  /** The 0-based offset of the first bad byte in the (decompressed) page. */
  long byteOffset() {
    return byteOffset;
  }

  /** What a malformed-data message says: the charset, the offset and the bytes. */
  @Override
  public String getMessage() {
    return "invalid "
        + charset.name()
        + " at byte offset "
        + byteOffset
        + " ("
        + bytes
        + "); if the provider sends another encoding, name it in format.charset";
  }
}
