package dev.sluice.starter.cli;

import dev.sluice.starter.spec.LoadedPipeline;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Parameters;

/** The pipeline file, for the commands that take one as their only parameter. */
final class PipelineFile {
  @Parameters(paramLabel = "FILE", description = "Pipeline YAML file.")
  Path file;

  /** The file as given. */
  Path path() {
    return file;
  }

  /** The loaded pipeline, or empty after printing why it cannot be used ({@link PipelineFiles}). */
  Optional<LoadedPipeline> load(PrintWriter err) {
    return PipelineFiles.load(file, err);
  }
}
