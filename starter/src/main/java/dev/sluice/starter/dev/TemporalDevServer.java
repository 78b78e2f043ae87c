package dev.sluice.starter.dev;

import dev.sluice.workers.SearchAttributeRegistrar;
import io.grpc.StatusRuntimeException;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Temporal CLI's {@code temporal server start-dev} as a child process: the real Temporal
 * server with SQLite persistence (in memory, or in a file that keeps runs across restarts),
 * Schedules, visibility with Sluice's search attributes, and the Web UI. The frontend, the Web UI
 * and the server's HTTP API and metrics endpoints all bind 127.0.0.1 only.
 *
 * <p>{@link #start} returns once the frontend answers and Sluice's search attributes are
 * registered on the {@code default} namespace, so the first run may carry them. {@link #close}
 * stops the process (SIGTERM, then SIGKILL after 10 s); so does the JVM's exit.
 */
public final class TemporalDevServer implements LocalTemporal {
  /** The namespace {@code start-dev} creates, where Sluice registers its search attributes. */
  public static final String NAMESPACE = "default";

  /** How long the server may take to answer: a cold SQLite file takes a few seconds. */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final TemporalCli cli;
  private final Settings settings;
  private final Process process;
  private final Path log;
  private final boolean ownLog;
  private final Thread stopOnExit;

  private TemporalDevServer(
      TemporalCli cli, Settings settings, Process process, Path log, boolean ownLog) {
    this.cli = cli;
    this.settings = settings;
    this.process = process;
    this.log = log;
    this.ownLog = ownLog;
    // A JVM that exits without close() (Ctrl-C, SIGTERM) must not leave the server behind.
    this.stopOnExit = new Thread(this::stopProcess, "temporal-dev-server-stop");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /**
   * How to start the server. Ports 0 mean any free loopback port, chosen at start.
   *
   * @param port frontend gRPC port (default 0)
   * @param uiPort Web UI port (default 0)
   * @param db SQLite file that keeps runs across restarts; null keeps them in memory (default)
   * @param headless no Web UI (default false)
   * @param codecEndpoint the remote codec the Web UI decodes payloads with; null for none
   * @param dynamicConfig {@code KEY=JSON} server settings ({@code --dynamic-config-value})
   * @param log where the server's own output goes; null for a temporary file removed at close
   */
  public record Settings(
      int port,
      int uiPort,
      Path db,
      boolean headless,
      String codecEndpoint,
      List<String> dynamicConfig,
      Path log) {
    public Settings {
      dynamicConfig = List.copyOf(dynamicConfig);
    }

    /** Any free ports, in memory, with the Web UI, no codec, no extra settings. */
    public static Settings defaults() {
      return new Settings(0, 0, null, false, null, List.of(), null);
    }

    public Settings withPort(int port) {
      return new Settings(port, uiPort, db, headless, codecEndpoint, dynamicConfig, log);
    }

    public Settings withUiPort(int uiPort) {
      return new Settings(port, uiPort, db, headless, codecEndpoint, dynamicConfig, log);
    }

    public Settings withDb(Path db) {
      return new Settings(port, uiPort, db, headless, codecEndpoint, dynamicConfig, log);
    }

    public Settings withHeadless(boolean headless) {
      return new Settings(port, uiPort, db, headless, codecEndpoint, dynamicConfig, log);
    }

    public Settings withCodecEndpoint(String codecEndpoint) {
      return new Settings(port, uiPort, db, headless, codecEndpoint, dynamicConfig, log);
    }

    /** These settings plus one {@code --dynamic-config-value key=json}. */
    public Settings withDynamicConfig(String key, String json) {
      List<String> all = new ArrayList<>(dynamicConfig);
      all.add(key + "=" + json);
      return new Settings(port, uiPort, db, headless, codecEndpoint, all, log);
    }

    public Settings withLog(Path log) {
      return new Settings(port, uiPort, db, headless, codecEndpoint, dynamicConfig, log);
    }
  }

  /** The server did not start; the message says why in one line, with where its log is. */
  public static final class StartException extends RuntimeException {
    public StartException(String message) {
      super(message);
    }
  }

  /**
   * Starts the server and waits until it answers, with Sluice's search attributes registered.
   *
   * @throws StartException when it exits or does not answer within 60 s (after three tries on fresh
   *     ports when a chosen free port was taken in between)
   */
  public static TemporalDevServer start(TemporalCli cli, Settings settings) {
    boolean choosesPorts = settings.port() == 0 || settings.uiPort() == 0;
    StartException last = null;
    for (int attempt = 0; attempt < (choosesPorts ? 3 : 1); attempt++) {
      try {
        return startOnce(cli, withPorts(settings));
      } catch (StartException e) {
        last = e;
        if (!e.getMessage().contains("address already in use")) {
          throw e;
        }
      }
    }
    throw last;
  }

  private static Settings withPorts(Settings settings) {
    int port = settings.port() == 0 ? freePort() : settings.port();
    int ui = settings.uiPort();
    while (ui == 0 || ui == port) {
      ui = freePort();
    }
    return settings.withPort(port).withUiPort(ui);
  }

  private static TemporalDevServer startOnce(TemporalCli cli, Settings settings) {
    boolean ownLog = settings.log() == null;
    Path log;
    try {
      log = ownLog ? Files.createTempFile("temporal-dev-server", ".log") : settings.log();
      if (settings.db() != null && settings.db().getParent() != null) {
        Files.createDirectories(settings.db().toAbsolutePath().getParent());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Process process;
    try {
      process =
          new ProcessBuilder(command(cli, settings))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new StartException(cli.binary() + " does not start: " + e.getMessage());
    }
    TemporalDevServer server = new TemporalDevServer(cli, settings, process, log, ownLog);
    try {
      server.awaitReadyAndRegister();
      return server;
    } catch (RuntimeException e) {
      String tail = server.logTail();
      server.close();
      if (e instanceof StartException) {
        throw new StartException(e.getMessage() + tail);
      }
      throw new StartException("temporal server start-dev failed: " + e.getMessage() + tail);
    }
  }

  /** The {@code temporal server start-dev} command line for {@code settings}. */
  static List<String> command(TemporalCli cli, Settings settings) {
    List<String> command = new ArrayList<>();
    command.add(cli.binary().toString());
    command.addAll(List.of("server", "start-dev"));
    // Loopback only, the frontend and the UI alike (the HTTP API and metrics follow --ip).
    command.addAll(List.of("--ip", "127.0.0.1", "--ui-ip", "127.0.0.1"));
    command.addAll(List.of("--port", Integer.toString(settings.port())));
    command.addAll(List.of("--ui-port", Integer.toString(settings.uiPort())));
    // The UI's news feed would call out to the internet on every page.
    command.add("--ui-disable-news-fetch");
    command.addAll(List.of("--color", "never"));
    if (settings.db() != null) {
      command.addAll(List.of("--db-filename", settings.db().toAbsolutePath().toString()));
    }
    if (settings.headless()) {
      command.add("--headless");
    }
    if (settings.codecEndpoint() != null) {
      command.addAll(List.of("--ui-codec-endpoint", settings.codecEndpoint()));
    }
    for (String value : settings.dynamicConfig()) {
      command.addAll(List.of("--dynamic-config-value", value));
    }
    return command;
  }

  private void awaitReadyAndRegister() {
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(address()).build());
    try {
      Instant deadline = Instant.now().plus(READY_TIMEOUT);
      while (true) {
        if (!process.isAlive()) {
          throw new StartException(
              "temporal server start-dev exited with " + process.exitValue());
        }
        try {
          service.healthCheck();
          break;
        } catch (StatusRuntimeException notYet) {
          if (Instant.now().isAfter(deadline)) {
            throw new StartException(
                "temporal server start-dev did not answer on "
                    + address()
                    + " in "
                    + READY_TIMEOUT.toSeconds()
                    + " s");
          }
          sleep(Duration.ofMillis(200));
        }
      }
      // Idempotent: a SQLite file from an earlier start has them already.
      SearchAttributeRegistrar.register(service, NAMESPACE);
      // Registration returns before every frontend cache has the new attributes; a run started with
      // them before then would be refused.
      while (!SearchAttributeRegistrar.registered(service, NAMESPACE).orElse(false)) {
        if (Instant.now().isAfter(deadline)) {
          throw new StartException("search attributes registered but not listed on " + address());
        }
        sleep(Duration.ofMillis(200));
      }
    } finally {
      service.shutdownNow();
      service.awaitTermination(2, TimeUnit.SECONDS);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartException("interrupted while waiting for the server");
    }
  }

  @Override
  public int port() {
    return settings.port();
  }

  /** The Web UI port; there is a UI unless started headless. */
  public int uiPort() {
    return settings.uiPort();
  }

  @Override
  public Optional<String> webUi() {
    return settings.headless()
        ? Optional.empty()
        : Optional.of("http://127.0.0.1:" + settings.uiPort());
  }

  @Override
  public String description() {
    return "Temporal dev server (temporal "
        + cli.version()
        + ", "
        + (settings.db() == null
            ? "in memory: runs are gone when it stops"
            : "SQLite " + settings.db().toAbsolutePath())
        + ")";
  }

  /** The settings it runs with, its ports resolved: start again with them for the same server. */
  public Settings settings() {
    return settings;
  }

  /** The CLI it runs. */
  public TemporalCli cli() {
    return cli;
  }

  /** The process's ID, e.g. to tell a user or to signal it. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process is running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Where the server's own output goes. */
  public Path log() {
    return log;
  }

  /**
   * Kills the process at once (SIGKILL, no shutdown), as a crash would: what a SQLite file holds
   * stays, what was in memory is lost.
   */
  public void kill() {
    process.destroyForcibly();
    Processes.awaitQuietly(() -> process.waitFor(10, TimeUnit.SECONDS));
  }

  @Override
  public void close() {
    stopProcess();
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or has run: the process is stopped either way.
    }
    if (ownLog) {
      try {
        Files.deleteIfExists(log);
      } catch (IOException e) {
        // A temporary file the OS cleans up.
      }
    }
  }

  private void stopProcess() {
    Processes.stop(process);
  }

  /** {@code "; server log (…): <last lines>"} or empty. */
  private String logTail() {
    List<String> lines = Processes.lastLines(log, 3);
    return lines.isEmpty() ? "" : "; its last output: " + String.join(" | ", lines);
  }

  /** A loopback port free right now. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  /** {@code preferred} when it is free on 127.0.0.1 now, else any free loopback port. */
  public static int preferredOrFree(int preferred) {
    try (ServerSocket socket = new ServerSocket(preferred, 1, InetAddress.getLoopbackAddress())) {
      return preferred;
    } catch (IOException taken) {
      return freePort();
    }
  }
}
