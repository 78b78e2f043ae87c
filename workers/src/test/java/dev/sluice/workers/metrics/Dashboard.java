package dev.sluice.workers.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipped Grafana dashboard, read from the repository, and the metric names its queries use.
 */
record Dashboard(JsonNode json) {
  /** The repository's {@code deploy/} directory (tests run in {@code workers/}). */
  static final Path DEPLOY = Path.of("..", "deploy");

  static final Path FILE = DEPLOY.resolve("grafana/dashboards/sluice.json");

  private static final Pattern METRIC = Pattern.compile("\\b((?:sluice|temporal)_[a-z0-9_]+)\\b");

  /** A metric with a label matcher block: {@code name{a="x",b=~"y"}}. */
  private static final Pattern SELECTOR =
      Pattern.compile("\\b((?:sluice|temporal)_[a-z0-9_]+)\\{([^}]*)\\}");

  private static final Pattern MATCHER_LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");

  /** Suffixes Prometheus adds to the SDK's meter names: counters, and timers' histogram series. */
  private static final List<String> SDK_SUFFIXES =
      List.of("_total", "_seconds_bucket", "_seconds_count", "_seconds_sum", "_seconds_max");

  static Dashboard read() {
    try {
      return new Dashboard(new ObjectMapper().readTree(Files.readString(FILE)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every panel that is not a row. */
  List<JsonNode> panels() {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : json.path("panels")) {
      if (!"row".equals(panel.path("type").asText())) {
        panels.add(panel);
      }
    }
    return panels;
  }

  /** The PromQL expressions of {@code panel}'s queries. */
  static List<String> expressions(JsonNode panel) {
    List<String> expressions = new ArrayList<>();
    panel.path("targets").forEach(t -> expressions.add(t.path("expr").asText()));
    return expressions;
  }

  /** The metric names in {@code expression}. */
  static Set<String> metrics(String expression) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = METRIC.matcher(expression);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** For each selector {@code name{...}} in {@code expression}: the name and its matched labels. */
  static List<String[]> selectors(String expression) {
    List<String[]> selectors = new ArrayList<>();
    Matcher m = SELECTOR.matcher(expression);
    while (m.find()) {
      Matcher label = MATCHER_LABEL.matcher(m.group(2));
      while (label.find()) {
        selectors.add(new String[] {m.group(1), label.group(1)});
      }
    }
    return selectors;
  }

  /**
   * The Prometheus name of {@code series} if it is one of the Temporal SDK's meters (the constants
   * of {@code io.temporal.worker.MetricsType} and {@code io.temporal.serviceclient.MetricsType},
   * which the SDK registers under those names), else null.
   */
  static String sdkMeter(String series) {
    for (String suffix : SDK_SUFFIXES) {
      if (series.endsWith(suffix)
          && sdkMeterNames().contains(series.substring(0, series.length() - suffix.length()))) {
        return series.substring(0, series.length() - suffix.length());
      }
    }
    return null;
  }

  private static Set<String> sdkMeterNames() {
    Set<String> names = new TreeSet<>();
    for (Class<?> type :
        List.of(
            io.temporal.worker.MetricsType.class, io.temporal.serviceclient.MetricsType.class)) {
      for (Field field : type.getFields()) {
        if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
          try {
            names.add((String) field.get(null));
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
    return names;
  }
}
