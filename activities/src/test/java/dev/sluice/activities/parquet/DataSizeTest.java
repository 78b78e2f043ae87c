package dev.sluice.activities.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.DataSize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DataSizeTest {

  @ParameterizedTest
  @CsvSource({
    "128MB, 134217728",
    "64KB, 65536",
    "1GB, 1073741824",
    "10B, 10"
  })
  void givenSizeWithUnit_whenParsed_thenBinaryMultipleOfBytes(String text, long bytes) {
    assertThat(DataSize.parseBytes(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  // One grammar with the schema's $defs/size: no bare numbers, spaces, lower case or TB.
  @ValueSource(
      strings = {"", "MB", "1.5GB", "-1KB", "12 parsecs", "0", "0KB", "4096", "1tb", " 2mb "})
  void givenInvalidSize_whenParsed_thenErrorQuotesTheText(String text) {
    assertThatThrownBy(() -> DataSize.parseBytes(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid size '" + text + "'");
  }

  @Test
  void givenSizeTooLargeForALong_whenParsed_thenTooLarge() {
    assertThatThrownBy(() -> DataSize.parseBytes("99999999999GB"))
        .hasMessage("'99999999999GB' is too large a size");
  }
}
