package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A CPU profile of a child worker JVM over one window, taken by async-profiler loaded into it with
 * {@code jcmd <pid> JVMTI.agent_load} (JFR's sampler takes too few samples among hundreds of mostly
 * idle threads). {@code spec} is {@code <path to libasyncProfiler.so>:<output prefix>}; each phase
 * goes to {@code <prefix>-<phase>.collapsed}, in async-profiler's collapsed-stacks format (one
 * line per stack, with its sample count). Start it once per worker JVM: a second load into the
 * same JVM (stop, then start again) crashed that JVM once (SIGSEGV in G1's write barrier). The
 * library ships in the {@code tools.profiler:async-profiler} jar on Maven Central
 * ({@code linux-x64/libasyncProfiler.so}). An empty spec profiles nothing.
 */
final class WorkerProfile {
  private final String library;
  private final String output;
  private final long pid;

  private WorkerProfile(String library, String output, long pid) {
    this.library = library;
    this.output = output;
    this.pid = pid;
  }

  /** Starts sampling the worker's CPU (itimer, every 1 ms of CPU); a no-op for an empty spec. */
  static WorkerProfile start(String spec, String phase, long pid) {
    if (spec.isEmpty()) {
      return new WorkerProfile(null, null, pid);
    }
    int colon = spec.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "--worker-profile: <path to libasyncProfiler.so>:<output prefix>, got " + spec);
    }
    WorkerProfile profile =
        new WorkerProfile(
            Path.of(spec.substring(0, colon)).toAbsolutePath().toString(),
            spec.substring(colon + 1) + "-" + phase + ".collapsed",
            pid);
    profile.agent("start,event=itimer,interval=1ms");
    return profile;
  }

  /** Stops sampling and writes the collapsed stacks. */
  void stop() {
    if (library != null) {
      agent("stop,collapsed,file=" + output);
      System.out.println("worker profile (collapsed stacks): " + output);
    }
  }

  private void agent(String options) {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
            Long.toString(pid),
            "JVMTI.agent_load",
            library,
            // Quoted: jcmd's argument parser would otherwise split the options at their commas.
            '"' + options + '"');
    try {
      Process jcmd = new ProcessBuilder(command).inheritIO().start();
      if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
        throw new IllegalStateException("jcmd failed: " + String.join(" ", command));
      }
    } catch (IOException e) {
      throw new IllegalStateException("jcmd failed: " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
