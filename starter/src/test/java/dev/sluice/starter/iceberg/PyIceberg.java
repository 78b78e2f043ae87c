package dev.sluice.starter.iceberg;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.starter.dev.TemporalCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * pyiceberg, the second Iceberg implementation the tests read Sluice's tables back with: {@code
 * deploy/pyiceberg.sh} installs the pinned version into the project's tools folder on first use
 * (once per machine, about 20 s), and {@code deploy/iceberg-read.py} prints a table's rows and
 * snapshots as JSON lines, which {@link #read} parses.
 *
 * <p>As an extension ({@code @ExtendWith(PyIceberg.class)}) it skips a test class, with the reason
 * in one line, where pyiceberg cannot be had (no Python with pip, no network); with {@code CI} set
 * that fails instead, as for the real-server tests.
 */
public final class PyIceberg implements ExecutionCondition {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The launcher deploy/pyiceberg.sh printed, or why there is none; tried once per JVM. */
  private static Path python;

  private static String unavailable;

  /** What the reader printed: the table, its snapshots (oldest first), the current rows. */
  public record Read(JsonNode table, List<JsonNode> snapshots, List<Map<String, Object>> rows) {
    /** The summaries of the snapshots, oldest first. */
    public List<Map<String, String>> summaries() {
      List<Map<String, String>> out = new ArrayList<>();
      for (JsonNode s : snapshots) {
        out.add(JSON.convertValue(s.path("summary"), new com.fasterxml.jackson.core.type.TypeReference<>() {}));
      }
      return out;
    }
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String missing = unavailable();
    if (missing == null) {
      return ConditionEvaluationResult.enabled("pyiceberg is installed");
    }
    if (System.getenv("CI") != null) {
      fail("CI is set, so the pyiceberg read-back tests may not be skipped: " + missing);
    }
    return ConditionEvaluationResult.disabled("pyiceberg read-back skipped: " + missing);
  }

  /** A Hadoop-catalog table at {@code location}, read by pyiceberg. */
  public static Read readTable(String location, String... props) {
    List<String> args = new ArrayList<>(List.of("--table", location));
    addProps(args, props);
    return read(args);
  }

  /** A table of a SQL catalog on SQLite ({@code sqlite:////path}), read by pyiceberg. */
  public static Read readSql(String uri, String catalog, String warehouse, String identifier) {
    return read(
        List.of(
            "--sql-uri", uri,
            "--catalog-name", catalog,
            "--warehouse", warehouse,
            "--identifier", identifier));
  }

  /**
   * A table of an Iceberg REST catalog at {@code uri}, read by pyiceberg's RestCatalog signed in
   * with OAuth2 client credentials {@code credential} ({@code client_id:client_secret}).
   */
  public static Read readRest(String uri, String credential, String identifier) {
    return read(
        List.of("--rest-uri", uri, "--credential", credential, "--identifier", identifier));
  }

  /**
   * The reader's output for {@code args} (see deploy/iceberg-read.py).
   *
   * @throws IllegalStateException when pyiceberg cannot be had or the reader fails
   */
  public static Read read(List<String> args) {
    String missing = unavailable();
    if (missing != null) {
      throw new IllegalStateException(missing);
    }
    Path root = TemporalCli.repositoryRoot().orElseThrow();
    List<String> command = new ArrayList<>(List.of(python.toString(), root.resolve("deploy/iceberg-read.py").toString()));
    command.addAll(args);
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("iceberg-read", ".jsonl");
      err = Files.createTempFile("iceberg-read", ".err");
      ProcessBuilder reader = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      // pyarrow's S3 client (the AWS SDK for C++) asks for response checksums by default: every
      // GetObject carries "x-amz-checksum-mode: ENABLED", which s3proxy (the tests' S3) answers
      // with 501 NotImplemented, seen as "Failed to flush response stream". The SDKs' standard
      // setting turns that header off; real S3 and file:// reads are unaffected.
      reader.environment().put("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
      int exit = run(reader, 300);
      if (exit != 0) {
        throw new IllegalStateException(
            "pyiceberg read exited " + exit + " for " + args + ": " + Files.readString(err, StandardCharsets.UTF_8).strip());
      }
      JsonNode table = null;
      List<JsonNode> snapshots = new ArrayList<>();
      List<Map<String, Object>> rows = new ArrayList<>();
      for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
        JsonNode node = JSON.readTree(line);
        if (node.has("table")) {
          table = node.get("table");
        } else if (node.has("snapshot")) {
          snapshots.add(node.get("snapshot"));
        } else {
          rows.add(JSON.convertValue(node.get("row"), new com.fasterxml.jackson.core.type.TypeReference<>() {}));
        }
      }
      return new Read(table, snapshots, rows);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void addProps(List<String> args, String... props) {
    for (String p : props) {
      args.add("--prop");
      args.add(p);
    }
  }

  /** Why pyiceberg cannot be had, or null once it is installed; tried once per JVM. */
  static synchronized String unavailable() {
    if (python == null && unavailable == null) {
      long start = System.nanoTime();
      try {
        Path root = TemporalCli.repositoryRoot().orElse(null);
        if (root == null) {
          unavailable = "not in a Sluice checkout (no deploy/pyiceberg.sh above " + Path.of("").toAbsolutePath() + ")";
          return unavailable;
        }
        Path out = Files.createTempFile("pyiceberg", ".out");
        Path log = Files.createTempFile("pyiceberg", ".log");
        int exit =
            run(
                new ProcessBuilder("bash", root.resolve("deploy/pyiceberg.sh").toString())
                    .redirectOutput(out.toFile())
                    .redirectError(log.toFile()),
                900);
        String printed = Files.readString(out, StandardCharsets.UTF_8).strip();
        String said = Files.readString(log, StandardCharsets.UTF_8).strip();
        deleteQuietly(out);
        deleteQuietly(log);
        if (exit != 0 || printed.isEmpty()) {
          unavailable = "deploy/pyiceberg.sh exited " + exit + ": " + said.replace('\n', ' ');
        } else {
          python = Path.of(printed);
          if (!said.isEmpty()) {
            System.err.printf(
                "[pyiceberg] %s (%.1f s)%n", said.replace('\n', ' '), (System.nanoTime() - start) / 1e9);
          }
        }
      } catch (IOException e) {
        unavailable = "cannot run deploy/pyiceberg.sh: " + e.getMessage();
      }
      if (unavailable != null) {
        System.err.println("[pyiceberg] unavailable: " + unavailable);
      }
    }
    return unavailable;
  }

  private static int run(ProcessBuilder builder, int timeoutSeconds) throws IOException {
    Process p = builder.start();
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(builder.command() + " did not finish in " + timeoutSeconds + " s");
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // a temporary file: the OS cleans it up
      }
    }
  }
}
