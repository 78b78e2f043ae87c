package dev.sluice.starter.cli;

import dev.sluice.starter.routes.RoutesLoader;
import dev.sluice.starter.spec.PipelineValidationException;
import dev.sluice.workflows.batchwindow.Routes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --routes FILE}: the routes file of the batch windows, shared by their commands. */
public final class RoutesOption {
  @Option(
      names = "--routes",
      paramLabel = "FILE",
      description = "The routes file (default: $SLUICE_ROUTES or ${DEFAULT-VALUE}).",
      defaultValue = "${env:SLUICE_ROUTES:-routes.yaml}")
  Path file;

  /** The routes, or null after printing every problem to {@code err} (exit code 2). */
  Routes load(PrintWriter err) {
    try {
      return new RoutesLoader().load(file);
    } catch (NoSuchFileException e) {
      err.println("no routes file at " + file + " (set --routes or SLUICE_ROUTES)");
    } catch (IOException e) {
      err.println("cannot read " + file + ": " + e.getMessage());
    } catch (PipelineValidationException e) {
      err.println(e.getMessage());
    }
    return null;
  }

  Path file() {
    return file;
  }
}
