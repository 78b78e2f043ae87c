package dev.sluice.starter.spec;

import dev.sluice.pipeline.AnswerValues;
import dev.sluice.pipeline.ResultSpec;
import dev.sluice.pipeline.TemplateVariables;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ${...}} placeholders of request templates: which exist, and where each may be used.
 * Resolution happens in the activities; this only checks what a pipeline file refers to.
 */
final class Templates {
  static final String ENV_PREFIX = "env:";
  static final String FILE_PREFIX = "file:";

  private static final List<String> VARIABLES = TemplateVariables.ALL;
  private static final String KNOWN =
      String.join(", ", VARIABLES.stream().map(v -> "${" + v + "}").toList())
          + ", ${submit:/pointer}, ${status:/pointer}, ${resolved:/pointer}, ${env:NAME} or"
          + " ${file:/absolute/path}";

  /** Run variables a work-unit listing request has no value for. */
  private static final List<String> UNIT_LIST_EXCLUDED =
      VARIABLES.stream().filter(v -> !TemplateVariables.UNIT_LISTING.contains(v)).toList();

  /** The run's own variables: a work unit's variable must not shadow one. */
  static List<String> variables() {
    return VARIABLES;
  }

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[^}]*}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Where a template is used, which decides the variables it may refer to. */
  enum Scope {
    /** The submit request: there is no request ID yet. */
    SUBMIT,
    /** Status and clean-up requests: also {@code ${submit:/ptr}}. */
    REQUEST,
    /** The extract's URL and headers, a first resolve step: also {@code ${status:/ptr}}. */
    EXTRACT,
    /** A later resolve step, {@code extract.result.url}: also {@code ${resolved:/ptr}}. */
    RESULT,
    /** Authentication values: secret references only. */
    AUTH,
    /** A data platform connection: secret references only. */
    CONNECTION,
    /**
     * The listing request of work units: the run's window and name, no job, no watermark, no unit.
     */
    UNIT_LIST
  }

  private Templates() {}

  /**
   * Checks the placeholders of one template value.
   *
   * @param incremental whether the pipeline has an {@code incremental} section ({@code
   *     ${watermark}} exists)
   * @param problems receives one problem per bad placeholder
   * @param secrets receives each secret reference, as written
   */
  static void check(
      String path,
      String text,
      Scope scope,
      boolean incremental,
      List<Problem> problems,
      Collection<String> secrets) {
    check(path, text, scope, incremental, null, problems, secrets);
  }

  /**
   * As {@link #check(String, String, Scope, boolean, List, Collection)}, where the pipeline has
   * work units offered as {@code ${unitVariable}} to the source's requests (null: no units).
   */
  static void check(
      String path,
      String text,
      Scope scope,
      boolean incremental,
      String unitVariable,
      List<Problem> problems,
      Collection<String> secrets) {
    int from = 0;
    while (true) {
      int open = text.indexOf("${", from);
      if (open < 0) {
        return;
      }
      int close = text.indexOf('}', open + 2);
      if (close < 0) {
        problems.add(
            new Problem(path, "unclosed placeholder '" + text.substring(open) + "': add '}'"));
        return;
      }
      String expression = text.substring(open + 2, close);
      checkExpression(path, expression, scope, incremental, unitVariable, problems, secrets);
      from = close + 1;
    }
  }

  /** Every closed placeholder of {@code text}, as written ({@code ${env:NAME}}), in order. */
  static List<String> placeholders(String text) {
    return PLACEHOLDER.matcher(text).results().map(MatchResult::group).toList();
  }

  /** {@code text} with every placeholder replaced by {@code replacement}. */
  static String replacePlaceholders(String text, String replacement) {
    return PLACEHOLDER.matcher(text).replaceAll(Matcher.quoteReplacement(replacement));
  }

  private static void checkExpression(
      String path,
      String expression,
      Scope scope,
      boolean incremental,
      String unitVariable,
      List<Problem> problems,
      Collection<String> secrets) {
    String placeholder = "${" + expression + "}";
    if (expression.startsWith(ENV_PREFIX)) {
      String name = expression.substring(ENV_PREFIX.length());
      if (ENV_NAME.matcher(name).matches()) {
        secrets.add(placeholder);
      } else {
        problems.add(
            new Problem(
                path, placeholder + ": '" + name + "' is not an environment variable name"));
      }
    } else if (expression.startsWith(FILE_PREFIX)) {
      if (expression.startsWith(FILE_PREFIX + "/")) {
        secrets.add(placeholder);
      } else {
        problems.add(new Problem(path, placeholder + ": the file path must be absolute"));
      }
    } else if (answerPrefix(expression) != null) {
      answerValue(path, expression, answerPrefix(expression), scope, problems);
    } else if (VARIABLES.contains(expression)) {
      unavailable(expression, scope, incremental)
          .ifPresent(reason -> problems.add(new Problem(path, placeholder + " " + reason)));
    } else if (expression.equals(ResultSpec.Parts.PARTITION)
        && !expression.equals(unitVariable)) {
      problems.add(
          new Problem(
              path,
              placeholder
                  + " is a partition's index: only extract.result.url of result type partitions"
                  + " can use it"));
    } else if (expression.equals(unitVariable)) {
      if (scope != Scope.SUBMIT
          && scope != Scope.REQUEST
          && scope != Scope.EXTRACT
          && scope != Scope.RESULT) {
        problems.add(
            new Problem(
                path,
                placeholder
                    + " is a work unit's value: only the source's submit, status, extract and"
                    + " clean-up requests can use it"));
      }
    } else {
      problems.add(
          new Problem(path, "unknown template variable " + placeholder + suggestion(expression)));
    }
  }

  private static String answerPrefix(String expression) {
    for (String prefix :
        List.of(AnswerValues.SUBMIT, AnswerValues.STATUS, AnswerValues.RESOLVED)) {
      if (expression.startsWith(prefix)) {
        return prefix;
      }
    }
    return null;
  }

  /** {@code ${submit:/ptr}}, {@code ${status:/ptr}}, {@code ${resolved:/ptr}}: where each exists. */
  private static void answerValue(
      String path, String expression, String prefix, Scope scope, List<Problem> problems) {
    String placeholder = "${" + expression + "}";
    String pointer = expression.substring(prefix.length());
    if (!pointer.isEmpty() && !pointer.startsWith("/")) {
      problems.add(
          new Problem(
              path,
              placeholder
                  + ": '"
                  + pointer
                  + "' is not a JSON pointer (it starts with '/', e.g. ${"
                  + prefix
                  + "/"
                  + pointer
                  + "})"));
      return;
    }
    List<Scope> where =
        switch (prefix) {
          case AnswerValues.SUBMIT -> List.of(Scope.REQUEST, Scope.EXTRACT, Scope.RESULT);
          case AnswerValues.STATUS -> List.of(Scope.EXTRACT, Scope.RESULT);
          default -> List.of(Scope.RESULT);
        };
    if (!where.contains(scope)) {
      String reason =
          switch (prefix) {
            case AnswerValues.SUBMIT ->
                "is a value of the submit answer: only the status, extract and clean-up requests"
                    + " can use it";
            case AnswerValues.STATUS ->
                "is a value of the final status answer: only extract.url, extract.headers,"
                    + " extract.result.url and extract.result.resolve can use it";
            default ->
                "is a value of the previous extract.result.resolve step's answer: only a later"
                    + " resolve step and extract.result.url can use it";
          };
      problems.add(new Problem(path, placeholder + " " + reason));
    }
  }

  private static Optional<String> unavailable(String variable, Scope scope, boolean incremental) {
    if (scope == Scope.AUTH) {
      return Optional.of("cannot be used in auth: only ${env:NAME} and ${file:/path} can");
    }
    if (scope == Scope.CONNECTION) {
      return Optional.of(
          "cannot be used in a platform connection: only ${env:NAME} and ${file:/path} can");
    }
    if (scope == Scope.UNIT_LIST && UNIT_LIST_EXCLUDED.contains(variable)) {
      return Optional.of(
          "cannot be used in units.request: it lists the units before any job exists; use"
              + " ${pipeline}, ${logicalDate}, ${windowStart} or ${windowEnd}");
    }
    if (scope == Scope.SUBMIT && variable.equals(TemplateVariables.REQUEST_ID)) {
      return Optional.of(
          "cannot be used in submit: the provider assigns it in the submit response");
    }
    if ((variable.equals(TemplateVariables.WATERMARK)
            || variable.equals(TemplateVariables.WATERMARK_END)) && !incremental) {
      return Optional.of(
          "needs an 'incremental' section (without one every run is a full extract)");
    }
    return Optional.empty();
  }

  private static String suggestion(String expression) {
    int colon = expression.indexOf(':');
    Optional<String> closest =
        colon < 0
            ? Suggestions.closest(expression, VARIABLES).map(v -> "${" + v + "}")
            : Suggestions.closest(expression.substring(0, colon), List.of("env", "file"))
                .map(prefix -> "${" + prefix + expression.substring(colon) + "}");
    return closest.map(s -> " (did you mean " + s + "?)").orElse("; use " + KNOWN);
  }
}
