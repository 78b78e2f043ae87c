package dev.sluice.activities.template;

import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import java.util.TreeSet;

/**
 * Renders the source's request templates. Substitution is literal: values are inserted as they
 * are, never URL- or JSON-encoded, so a template author quotes or encodes around them as the
 * target syntax needs. There is no escape for a literal {@code ${}.
 */
public final class Templates {
  private Templates() {}

  /**
   * Replaces every {@code ${name}} with {@code vars.get(name)} (a variable present with a null
   * value renders as the empty string) and every {@code ${env:NAME}} / {@code ${file:/path}} with
   * the secret it refers to.
   *
   * @param template the template; null renders as null
   * @param vars     the run's variables ({@code watermark}, {@code logicalDate}, {@code requestId}…)
   * @param secrets  resolves secret references
   * @return the rendered text
   * @throws ApplicationFailure non-retryable {@link FailureType#INVALID_PIPELINE} for an unknown
   *     variable or an unclosed {@code ${}; {@link FailureType#SECRET_NOT_FOUND} from the resolver
   */
  public static String render(String template, Map<String, String> vars, SecretResolver secrets) {
    if (template == null) {
      return null;
    }
    int open = template.indexOf("${");
    if (open < 0) {
      return template;
    }
    StringBuilder out = new StringBuilder(template.length() + 32);
    int from = 0;
    while (open >= 0) {
      int close = template.indexOf('}', open + 2);
      if (close < 0) {
        throw ApplicationFailure.newNonRetryableFailure(
            "unclosed ${ at position " + open + " of template '" + template + "'",
            FailureType.INVALID_PIPELINE.type());
      }
      out.append(template, from, open);
      String name = template.substring(open + 2, close);
      out.append(SecretResolver.isReference(name) ? secrets.resolve(name) : variable(name, vars));
      from = close + 1;
      open = template.indexOf("${", from);
    }
    return out.append(template, from, template.length()).toString();
  }

  private static String variable(String name, Map<String, String> vars) {
    if (!vars.containsKey(name)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "unknown template variable ${"
              + name
              + "}; known variables: "
              + new TreeSet<>(vars.keySet()),
          FailureType.INVALID_PIPELINE.type());
    }
    String value = vars.get(name);
    return value == null ? "" : value;
  }
}
