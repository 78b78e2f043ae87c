package dev.sluice.activities.download;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileNamesTest {

  @Test
  void namesThatWouldLeaveTheDirectoryOrTouchSluiceStateAreRefused() {
    assertThat(FileNames.problem("reports/day-01.csv")).isEmpty();
    assertThat(FileNames.problem("a.csv")).isEmpty();
    assertThat(FileNames.problem("../etc/passwd")).contains("has an empty, '.' or '..' segment");
    assertThat(FileNames.problem("a/./b")).contains("has an empty, '.' or '..' segment");
    assertThat(FileNames.problem("a//b")).contains("has an empty, '.' or '..' segment");
    assertThat(FileNames.problem("/abs")).contains("is absolute");
    assertThat(FileNames.problem("_sluice/landed/x.json"))
        .contains("is under _sluice/, where Sluice keeps its state");
    assertThat(FileNames.problem("c:\\x")).contains("holds a backslash or a colon");
    assertThat(FileNames.problem("")).contains("is empty");
  }

  @Test
  void theLastSegmentOfAUrlPathIsItsName() {
    assertThat(FileNames.lastSegment("/files/content/day-01.csv")).isEqualTo("day-01.csv");
    assertThat(FileNames.lastSegment("/files/x.csv?sig=abc#f")).isEqualTo("x.csv");
  }

  @Test
  void checksumsCompareEqualInHexAndBase64() {
    // MD5 of "" in hex and in base64.
    assertThat(Checksums.sameValue("d41d8cd98f00b204e9800998ecf8427e", "1B2M2Y8AsgTpgAmY7PhCfg=="))
        .isTrue();
    assertThat(Checksums.sameValue("d41d8cd98f00b204e9800998ecf8427e", "AAAAAAAAAAAAAAAAAAAAAA=="))
        .isFalse();
  }
}
