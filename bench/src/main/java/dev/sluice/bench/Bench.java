package dev.sluice.bench;

import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.starter.spec.PipelineLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** What every benchmark shares: the example pipeline, temp directories, load and statistics. */
final class Bench {
  static final String EXAMPLE = "examples/salesforce-bulk-contacts.yaml";

  private Bench() {}

  /**
   * The example pipeline, its YAML text first passed through {@code edit} (to change the status
   * interval, drop a clean-up request…), validated by the same loader as {@code sluice run}.
   */
  static PipelineSpec examplePipeline(UnaryOperator<String> edit) {
    Path file = repoFile(EXAMPLE);
    try {
      return new PipelineLoader()
          .load(edit.apply(Files.readString(file)), file.toString(), file.getParent())
          .spec();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot load " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@code spec} with its Parquet table at {@code dir}. */
  static PipelineSpec withSink(PipelineSpec spec, Path dir) {
    ParquetSink sink =
        ((ParquetSink) spec.sink()).withPath(dir.toAbsolutePath().toUri().toString());
    return PipelineSpec.newBuilder(spec.name(), spec.source(), sink)
        .setDescription(spec.description())
        .setIncremental(spec.incremental())
        .build();
  }

  /** A file of the repository, found from the working directory upwards (Maven runs in bench/). */
  static Path repoFile(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(relative))) {
        return dir.resolve(relative);
      }
    }
    throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
  }

  /** The 1, 5 and 15 minute load averages, as {@code uptime} shows them. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + ", " + f[1] + ", " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** One line describing the JVM and machine, printed at the top of every report. */
  static String environment() {
    Runtime rt = Runtime.getRuntime();
    return String.format(
        Locale.ROOT,
        "java %s (%s), %d cpus, max heap %d MiB, GC %s, args %s",
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        rt.availableProcessors(),
        rt.maxMemory() >> 20,
        ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName()).toList(),
        ManagementFactory.getRuntimeMXBean().getInputArguments());
  }

  static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long sizeOfTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths
          .filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .mapToLong(p -> p.toFile().length())
          .sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Prints the throughput of {@code a} relative to {@code b} (time of b / time of a), by min and by
   * median, and whether the median meets {@code target}.
   */
  static void ratio(Map<String, List<Long>> t, String a, String b, double target) {
    double byMin = (double) min(t.get(b)) / min(t.get(a));
    double byMedian = (double) median(t.get(b)) / median(t.get(a));
    System.out.printf(
        "%s / %s throughput: %.2fx (min), %.2fx (median); target >= %.2fx: %s%n",
        a, b, byMin, byMedian, target, byMedian >= target ? "met" : "NOT met");
  }

  static long min(List<Long> values) {
    return Collections.min(values);
  }

  /** The median (the lower middle one for an even count). */
  static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get((sorted.size() - 1) / 2);
  }

  /** The {@code p}-th percentile (nearest rank), {@code p} in (0, 100]. */
  static long percentile(List<Long> values, double p) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }

  static String perSecond(double count, long nanos) {
    double rate = count / (nanos / 1e9);
    return rate >= 1e6
        ? String.format(Locale.ROOT, "%.2fM", rate / 1e6)
        : String.format(Locale.ROOT, "%.0fk", rate / 1e3);
  }

  static String mbPerSecond(long bytes, long nanos) {
    return String.format(Locale.ROOT, "%.0f", bytes / 1e6 / (nanos / 1e9));
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
  }

  /** {@code --name value} from {@code args}, or {@code fallback}. */
  static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--" + name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
