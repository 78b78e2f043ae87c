package dev.sluice.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link ProbedWorker} in its own JVM, so its CPU and heap are its own. */
final class ChildWorker implements AutoCloseable {
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> command;

  private ChildWorker(Process process, List<String> command) {
    this.process = process;
    this.command = command;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("EOF " + e.getMessage());
              }
              lines.add("EOF");
            },
            "child-worker-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts the worker JVM with {@code jvmArgs}, this JVM's class path and {@code env} added to the
   * environment; its log (stderr) goes to {@code log}. Returns once it polls.
   */
  static ChildWorker start(List<String> jvmArgs, Map<String, String> env, Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ProbedWorker.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectError(log.toFile());
    try {
      ChildWorker child = new ChildWorker(builder.start(), command);
      child.expect("READY", 60);
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The child's figures since the previous mark. */
  Map<String, Long> mark() {
    try {
      stdin.write("mark\n");
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ProcessProbe.parse(expect("PROBE ", 60).substring("PROBE ".length()));
  }

  long pid() {
    return process.pid();
  }

  List<String> jvmArgs() {
    return command.subList(1, command.indexOf("-cp"));
  }

  private String expect(String prefix, int timeoutSeconds) {
    try {
      while (true) {
        String line = lines.poll(timeoutSeconds, TimeUnit.SECONDS);
        if (line == null) {
          throw new IllegalStateException("worker said nothing for " + timeoutSeconds + "s");
        }
        if (line.startsWith("EOF")) {
          throw new IllegalStateException("worker exited: " + line);
        }
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      stdin.close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroy();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroy();
    }
  }
}
