package dev.sluice.starter.cli;

import dev.sluice.starter.spec.LoadedPipeline;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice validate FILE}: checks a pipeline without starting anything. */
@Command(
    name = "validate",
    description = "Check a pipeline file against the schema and its rules; start nothing.",
    mixinStandardHelpOptions = true)
public final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "Pipeline YAML file.")
  Path file;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    Optional<LoadedPipeline> loaded = PipelineFiles.load(file, err);
    if (loaded.isEmpty()) {
      return ExitCodes.INVALID_INPUT;
    }
    LoadedPipeline p = loaded.get();
    out.println(file + ": valid pipeline '" + p.spec().name() + "'");
    PipelineFiles.printSecretNotes(p, err);
    out.flush();
    err.flush();
    return ExitCodes.OK;
  }
}
