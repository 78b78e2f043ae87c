package dev.sluice.starter.dev;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The child processes the dev tools run ({@code temporal}, {@code pip}): run one to its end, stop
 * or kill one, read the tail of its log, and remove what it left behind.
 */
final class Processes {
  private Processes() {}

  /** A wait that may be interrupted, e.g. {@code process.waitFor(10, SECONDS)}. */
  @FunctionalInterface
  interface Wait {
    boolean await() throws InterruptedException;
  }

  /** Runs {@code builder} with no input; its exit code, or -1 after killing it at the timeout. */
  static int run(ProcessBuilder builder, int timeoutSeconds) throws IOException {
    Process process = builder.redirectInput(ProcessBuilder.Redirect.from(nullFile())).start();
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Stops {@code process}: SIGTERM, then SIGKILL after 10 s. */
  static void stop(Process process) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Waits; an interrupt ends the wait and stays set for the caller's caller. */
  static void awaitQuietly(Wait wait) {
    try {
      wait.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The last {@code n} non-blank lines of {@code log}; none when it cannot be read. */
  static List<String> lastLines(Path log, int n) {
    try {
      List<String> lines =
          Files.readAllLines(log, StandardCharsets.UTF_8).stream()
              .filter(l -> !l.isBlank())
              .toList();
      return lines.subList(Math.max(0, lines.size() - n), lines.size());
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Removes {@code path} and everything under it, if it exists; what cannot be removed stays. */
  static void deleteQuietly(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> all = Files.walk(path)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A leftover scratch folder or file is harmless: it is made anew each time.
    }
  }

  private static File nullFile() {
    return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
