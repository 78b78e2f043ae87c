package dev.sluice.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Values taken from the provider's answers by JSON pointer: {@code ${submit:/ptr}} (the submit
 * answer), {@code ${status:/ptr}} (the final status answer) and {@code ${resolved:/ptr}} (the last
 * {@code extract.result.resolve} answer). In an activity's variables such a value is the entry
 * named as written between the braces ({@code submit:/statementHandle}).
 *
 * <p>Submit values are IDs a later request needs: the submit activity captures the ones a source
 * refers to and they travel with the request ID. Status and resolved values may be bearer
 * credentials (a pre-signed URL): only the extract activity reads them, never the workflow.
 */
public final class AnswerValues {
  public static final String SUBMIT = "submit:";
  public static final String STATUS = "status:";
  public static final String RESOLVED = "resolved:";

  private AnswerValues() {}

  /** The pointers {@code ${<prefix>/...}} in {@code templates}, in order, each once. */
  public static List<String> pointers(String prefix, Stream<String> templates) {
    Set<String> found = new LinkedHashSet<>();
    templates.forEach(
        text -> {
          int open = text == null ? -1 : text.indexOf("${");
          while (open >= 0) {
            int close = text.indexOf('}', open + 2);
            if (close < 0) {
              return;
            }
            String name = text.substring(open + 2, close);
            if (name.startsWith(prefix)) {
              found.add(name.substring(prefix.length()));
            }
            open = text.indexOf("${", close + 1);
          }
        });
    return List.copyOf(found);
  }

  /** Every template of a source's status, extract and clean-up requests. */
  public static Stream<String> afterSubmit(AsyncHttpSource source) {
    List<String> all = new ArrayList<>(templates(source.status().request()));
    all.addAll(extractTemplates(source.extract()));
    if (source.cleanup().abort() != null) {
      all.addAll(templates(source.cleanup().abort()));
    }
    if (source.cleanup().delete() != null) {
      all.addAll(templates(source.cleanup().delete()));
    }
    return all.stream();
  }

  /** Every template the extract renders: its URL and headers, the result's URL and resolves. */
  public static List<String> extractTemplates(ExtractSpec extract) {
    List<String> all = new ArrayList<>();
    all.add(extract.url());
    all.addAll(extract.headers().values());
    if (extract.result() instanceof ResultSpec.Url url) {
      all.add(url.url());
    } else if (extract.result() instanceof ResultSpec.Partitions partitions) {
      all.add(partitions.url());
    }
    if (extract.result() instanceof ResultSpec.Named named) {
      named.resolve().forEach(step -> all.addAll(templates(step)));
    }
    return all;
  }

  /** The URL, header and body templates of one request. */
  public static List<String> templates(RequestSpec request) {
    List<String> all = new ArrayList<>();
    all.add(request.url());
    all.addAll(request.headers().values());
    all.add(request.body());
    return all;
  }
}
