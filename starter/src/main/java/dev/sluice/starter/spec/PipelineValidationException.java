package dev.sluice.starter.spec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A pipeline file that cannot be used, with every problem found in it (not just the first), in
 * document order.
 */
public final class PipelineValidationException extends Exception {
  private final String origin;
  private final List<Problem> problems;

  /**
   * @param origin the file (or other source) the pipeline came from, as shown to the user
   * @param problems at least one problem
   */
  public PipelineValidationException(String origin, List<Problem> problems) {
    super(describe(origin, problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a validation failure needs at least one problem");
    }
    this.origin = origin;
    this.problems = List.copyOf(problems);
  }

  /** The file (or other source) the pipeline came from. */
  public String origin() {
    return origin;
  }

  /** Every problem found, in document order; never empty. */
  public List<Problem> problems() {
    return problems;
  }

  private static String describe(String origin, List<Problem> problems) {
    String count = problems.size() == 1 ? "1 problem" : problems.size() + " problems";
    return problems.stream()
        .map(problem -> "  " + problem)
        .collect(Collectors.joining("\n", origin + ": " + count + "\n", ""));
  }
}
