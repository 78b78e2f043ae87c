package dev.sluice.starter.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A {@code sluice} command: its picocli spec, and the two writers it prints to (the console, or
 * those a test gave the {@code CommandLine}). Its {@link #call} returns the exit code ({@link
 * ExitCodes}).
 */
abstract class CliCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Where results go. */
  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Where problems and notes go. */
  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
