package dev.sluice.starter.realserver;

import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.starter.dev.TemporalCli;
import dev.sluice.starter.dev.TemporalDevServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The real Temporal server for tests: the pinned Temporal CLI's {@code server start-dev} on random
 * loopback ports with a SQLite file, started once per test JVM and shared by every class that uses
 * this extension (it is stopped when the JVM's tests are done). Inject it as a {@link
 * TemporalDevServer} parameter, e.g. of a {@code @BeforeAll} method.
 *
 * <p>The pinned CLI is installed into the project's tools folder on first use ({@link
 * TemporalCli#pinned}), so {@code mvn verify} needs nothing set up beforehand. Where it cannot be
 * had (no pip, no network) the tests are skipped with the reason in one line; with {@code CI} set
 * they fail instead, since there a missing CLI is a broken build. A test that starts a server of
 * its own takes the CLI from {@link #cli()} under the same condition.
 */
public final class RealTemporal implements ExecutionCondition, ParameterResolver {
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(RealTemporal.class);

  /** The pinned CLI once found or installed; or why it cannot be had. One try per JVM. */
  private static TemporalCli cli;

  private static String unavailable;

  /**
   * Disabled, with the reason, when the pinned CLI cannot be had (so the report counts each test
   * as skipped); under {@code CI} that fails instead. The first call installs the CLI when missing.
   */
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String missing = unavailable();
    if (missing == null) {
      return ConditionEvaluationResult.enabled("the pinned Temporal CLI is installed");
    }
    if (System.getenv("CI") != null) {
      fail("CI is set, so the real-server tests may not be skipped: " + missing);
    }
    return ConditionEvaluationResult.disabled("real-server tests skipped: " + missing);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TemporalDevServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared(context);
  }

  private static TemporalDevServer shared(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(STORE)
        .getOrComputeIfAbsent(Shared.class, k -> Shared.start(), Shared.class)
        .server();
  }

  /**
   * The pinned CLI, installing it when missing (tests that start a server of their own call it;
   * this extension's condition has already skipped them when it cannot be had).
   */
  public static TemporalCli cli() {
    String missing = unavailable();
    if (missing != null) {
      throw new IllegalStateException(missing);
    }
    return cli;
  }

  /** Why the pinned CLI cannot be had, or null once it is there; tried once per JVM. */
  private static synchronized String unavailable() {
    if (cli == null && unavailable == null) {
      try {
        cli = TemporalCli.pinned(line -> System.err.println("[real-server tests] " + line));
      } catch (TemporalCli.NotAvailableException e) {
        unavailable = e.getMessage();
        System.err.println("[real-server tests] skipped: " + unavailable);
      }
    }
    return unavailable;
  }

  /** A fresh folder for a server's SQLite file and log, under the module's target/. */
  public static Path scratch(String name) {
    try {
      Path dir = Path.of("target", "real-server");
      Files.createDirectories(dir);
      return Files.createTempDirectory(dir.toAbsolutePath(), name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JVM's shared server, stopped when the root context closes. */
  private record Shared(TemporalDevServer server)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    static Shared start() {
      Path dir = scratch("shared");
      return new Shared(
          TemporalDevServer.start(
              cli(),
              TemporalDevServer.Settings.defaults()
                  .withDb(dir.resolve("temporal.sqlite"))
                  .withLog(dir.resolve("temporal.log"))
                  .withHeadless(true)));
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
