package dev.sluice.starter.cli;

import dev.sluice.starter.spec.LoadedPipeline;
import dev.sluice.starter.spec.PipelineLoader;
import dev.sluice.starter.spec.PipelineValidationException;
import dev.sluice.starter.spec.Problem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Loads a pipeline file for a command, printing every problem when it is invalid, or when its runs
 * could not be started for the size of their input.
 */
final class PipelineFiles {
  private PipelineFiles() {}

  /**
   * The loaded pipeline, or empty after printing why it cannot be used: its problems, or that the
   * input of its runs would exceed Temporal's payload limit. A note is printed when that input is
   * large enough for the server to warn about.
   */
  static Optional<LoadedPipeline> load(Path file, PrintWriter err) {
    try {
      LoadedPipeline loaded = new PipelineLoader().load(file);
      WorkflowInputSize size = WorkflowInputSize.of(loaded.spec());
      Optional<Problem> tooLarge = size.problem();
      if (tooLarge.isPresent()) {
        printProblems(file, List.of(tooLarge.get()), err);
        return Optional.empty();
      }
      size.warning().ifPresent(note -> err.println("  note: " + note));
      return Optional.of(loaded);
    } catch (NoSuchFileException e) {
      err.println(file + ": no such file");
    } catch (IOException e) {
      err.println(file + ": cannot read: " + e.getMessage());
    } catch (PipelineValidationException e) {
      printProblems(file, e.problems(), err);
    }
    return Optional.empty();
  }

  /**
   * One {@code note:} line on {@code err} for each secret reference of {@code pipeline} this machine
   * cannot resolve: not an error (workers resolve them where they run), but worth knowing before a
   * run fails on a worker that cannot either.
   */
  static void printSecretNotes(LoadedPipeline pipeline, PrintWriter err) {
    for (String ref : pipeline.unresolvedSecrets(System::getenv)) {
      err.println(
          "  note: "
              + ref
              + " is not resolvable on this machine; workers must be able to resolve it");
    }
  }

  private static void printProblems(Path file, List<Problem> problems, PrintWriter err) {
    err.println(
        file + ": " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ":");
    for (Problem p : problems) {
      err.println("  " + p);
    }
  }
}
