package dev.sluice.starter.cli;

import dev.sluice.starter.spec.LoadedPipeline;
import dev.sluice.starter.spec.PipelineLoader;
import dev.sluice.starter.spec.PipelineValidationException;
import dev.sluice.starter.spec.Problem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Loads a pipeline file for a command, printing every problem when it is invalid. */
final class PipelineFiles {
  private PipelineFiles() {}

  /** The loaded pipeline, or empty after printing why it cannot be used. */
  static Optional<LoadedPipeline> load(Path file, PrintWriter err) {
    try {
      return Optional.of(new PipelineLoader().load(file));
    } catch (NoSuchFileException e) {
      err.println(file + ": no such file");
    } catch (IOException e) {
      err.println(file + ": cannot read: " + e.getMessage());
    } catch (PipelineValidationException e) {
      err.println(
          file
              + ": "
              + e.problems().size()
              + " problem"
              + (e.problems().size() == 1 ? "" : "s")
              + ":");
      for (Problem p : e.problems()) {
        err.println("  " + p);
      }
    }
    return Optional.empty();
  }
}
