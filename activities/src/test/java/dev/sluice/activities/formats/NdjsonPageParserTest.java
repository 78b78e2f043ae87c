package dev.sluice.activities.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonPageParserTest {
  private final NdjsonPageParser parser = new NdjsonPageParser(new JsonFactory());
  private final CollectingSink sink = new CollectingSink();

  private PageSummary parse(String text, int page) throws IOException {
    return parser.parse(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), page, sink);
  }

  @Test
  void givenObjectsPerLineWithBlankLines_whenParsed_thenEveryObjectIsARecord() throws IOException {
    PageSummary summary = parse("{\"a\":1}\n\n{\"a\":2,\"b\":\"x\"}\r\n\n", 1);

    assertThat(summary.records()).isEqualTo(2);
    assertThat(sink.columns()).containsExactly("a", "b");
    assertThat(sink.records).containsExactly(List.of(1L), Arrays.asList(2L, "x"));
  }

  @Test
  void givenColumnsFromEarlierPage_whenNextPageParsed_thenIndexesAreStable() throws IOException {
    parse("{\"a\":1,\"b\":2}\n", 1);
    parse("{\"b\":3}\n", 2);

    assertThat(sink.announcements).hasSize(2);
    assertThat(sink.records.get(1)).containsExactly(null, 3L);
  }

  @Test
  void givenMalformedLine_whenParsed_thenMalformedNamesPageAndLine() {
    assertThatThrownBy(() -> parse("{\"a\":1}\n{\"a\":1}\n{\"a\" 1}\n", 5))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("page 5, line 3: invalid JSON");
  }

  @Test
  void givenLineThatIsNotAnObject_whenParsed_thenMalformed() {
    assertThatThrownBy(() -> parse("{\"a\":1}\n[1]\n", 1))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("page 1, line 2: expected a JSON object");
  }
}
