package dev.sluice.workflows.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.workflows.asyncingest.Progress.Stage;
import org.junit.jupiter.api.Test;

class RunDetailsTest {
  @Test
  void givenKnownFacts_whenBuilt_thenOneMarkdownLineEach_inOrder_unknownOnesLeftOut() {
    String details =
        RunDetails.of(Stage.CLEANING_UP)
            .line("Provider job", "job-7")
            .line("Provider state", null)
            .count("Status checks", 3)
            .count("Pages", 0)
            .at("Next check", 1_796_000_000_123L)
            .ofTotal("Files", 2, 5)
            .ofTotal("Batches", 0, 0)
            .bytes(3 * 1024 * 1024 + 512 * 1024)
            .markdown();

    assertThat(details)
        .isEqualTo(
            "- **Stage:** cleaning up\n"
                + "- **Provider job:** job-7\n"
                + "- **Status checks:** 3\n"
                + "- **Next check:** 2026-11-30T00:53:20Z\n"
                + "- **Files:** 2 of 5\n"
                + "- **Bytes:** 3.5 MiB\n");
  }

  @Test
  void givenSmallCounts_whenBytesShown_thenPlainBytes() {
    assertThat(RunDetails.bytesText(999)).isEqualTo("999 B");
    assertThat(RunDetails.bytesText(2048)).isEqualTo("2.0 KiB");
  }
}
