package dev.sluice.activities.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DataSizeTest {

  @ParameterizedTest
  @CsvSource({
    "128MB, 134217728",
    "64KB, 65536",
    "1GB, 1073741824",
    "1tb, 1099511627776",
    "4096, 4096",
    "'10 B', 10",
    "' 2mb ', 2097152"
  })
  void givenSizeWithOptionalUnit_whenParsed_thenBinaryMultipleOfBytes(String text, long bytes) {
    assertThat(DataSize.parseBytes(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "MB", "1.5GB", "-1KB", "12 parsecs", "0", "99999999999999TB"})
  void givenInvalidSize_whenParsed_thenErrorQuotesTheText(String text) {
    assertThatThrownBy(() -> DataSize.parseBytes(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid size '" + text + "'");
  }
}
