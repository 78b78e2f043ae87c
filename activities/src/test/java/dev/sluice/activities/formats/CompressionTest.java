package dev.sluice.activities.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class CompressionTest {
  private static final String TEXT = "a,b\n1,2\n";

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static String read(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void givenAutoAndGzipMagicWithoutHeaders_whenDecoded_thenGunzipped() throws IOException {
    InputStream in =
        Compression.AUTO.decode(new ByteArrayInputStream(gzip(TEXT)), null, "text/csv");

    assertThat(read(in)).isEqualTo(TEXT);
  }

  @Test
  void givenAutoAndContentEncodingGzip_whenDecoded_thenGunzipped() throws IOException {
    InputStream in = Compression.AUTO.decode(new ByteArrayInputStream(gzip(TEXT)), "gzip", null);

    assertThat(read(in)).isEqualTo(TEXT);
  }

  @Test
  void givenAutoAndApplicationGzipType_whenDecoded_thenGunzipped() throws IOException {
    InputStream in =
        Compression.AUTO.decode(new ByteArrayInputStream(gzip(TEXT)), null, "application/gzip");

    assertThat(read(in)).isEqualTo(TEXT);
  }

  @Test
  void givenAutoAndPlainBody_whenDecoded_thenPassedThroughWhole() throws IOException {
    InputStream in =
        Compression.AUTO.decode(
            new ByteArrayInputStream(TEXT.getBytes(StandardCharsets.UTF_8)), null, "text/csv");

    assertThat(read(in)).isEqualTo(TEXT);
  }

  @Test
  void givenGzipMode_whenBodyIsNotGzip_thenReadingFails() {
    assertThatThrownBy(
            () ->
                Compression.GZIP.decode(
                    new ByteArrayInputStream(TEXT.getBytes(StandardCharsets.UTF_8)), null, null))
        .isInstanceOf(IOException.class);
  }

  @Test
  void givenUnknownName_whenParsed_thenInvalidPipeline() {
    assertThatThrownBy(() -> Compression.of("zstd"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class, f -> assertThat(f.getType()).isEqualTo("InvalidPipeline"));
  }
}
