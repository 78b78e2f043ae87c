package dev.sluice.starter.spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Pipeline texts for tests: the fixtures under {@code src/test/resources/spec/}, and variants. */
final class Fixtures {
  /** The repository's examples directory (surefire runs in the module directory). */
  static final Path EXAMPLES = Path.of("..", "examples");

  private Fixtures() {}

  /** A fixture's text. */
  static String read(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/spec/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code minimal.yaml} with one line replaced (the line must exist: a typo fails the test). */
  static String minimalWith(String line, String replacement) {
    return with("minimal.yaml", line, replacement);
  }

  /** Fixture {@code name} with one line replaced (the line must exist: a typo fails the test). */
  static String with(String name, String line, String replacement) {
    String text = read(name);
    if (!text.contains(line)) {
      throw new IllegalArgumentException(name + " has no '" + line + "'");
    }
    return text.replace(line, replacement);
  }

  /** {@code minimal.yaml} with lines appended at the end (at top level). */
  static String minimalPlus(String yaml) {
    return read("minimal.yaml") + yaml;
  }

  /** The problems of loading {@code yaml}, as {@code path: message} lines; empty when it loads. */
  static List<String> problemsOf(PipelineLoader loader, String yaml) {
    try {
      loader.load(yaml, "test.yaml", Path.of("/pipelines"));
      return List.of();
    } catch (PipelineValidationException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
  }
}
