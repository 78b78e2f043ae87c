package dev.sluice.starter.cli;

import dev.sluice.starter.spec.LoadedPipeline;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Mixin;

/**
 * A command whose work starts from a valid pipeline file: it loads the file, printing its problems
 * and exiting 2 when it is not, and gives subclasses the pipeline.
 */
abstract class PipelineFileCommand extends CliCommand {
  @Mixin PipelineFile file;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = out();
    PrintWriter err = err();
    Optional<LoadedPipeline> loaded = file.load(err);
    if (loaded.isEmpty()) {
      return ExitCodes.INVALID_INPUT;
    }
    return run(loaded.get(), out, err);
  }

  /** The command's work on the loaded pipeline; returns the exit code. */
  abstract int run(LoadedPipeline pipeline, PrintWriter out, PrintWriter err) throws Exception;
}
