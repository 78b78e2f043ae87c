package dev.sluice.starter.cli;

import dev.sluice.starter.spec.LoadedPipeline;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code sluice validate FILE}: checks a pipeline without starting anything. */
@Command(
    name = "validate",
    description = "Check a pipeline file against the schema and its rules; start nothing.",
    mixinStandardHelpOptions = true)
public final class ValidateCommand extends PipelineFileCommand {
  @Override
  int run(LoadedPipeline p, PrintWriter out, PrintWriter err) {
    out.println(file.path() + ": valid pipeline '" + p.spec().name() + "'");
    PipelineFiles.printSecretNotes(p, err);
    out.flush();
    err.flush();
    return ExitCodes.OK;
  }
}
