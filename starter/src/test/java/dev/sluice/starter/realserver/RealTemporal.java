package dev.sluice.starter.realserver;

import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.starter.dev.TemporalCli;
import dev.sluice.starter.dev.TemporalDevServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
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
 * they fail instead, since there a missing CLI is a broken build.
 */
public final class RealTemporal implements ParameterResolver {
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(RealTemporal.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TemporalDevServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(STORE)
        .getOrComputeIfAbsent(Shared.class, k -> Shared.start(), Shared.class)
        .server();
  }

  /**
   * The pinned CLI, installing it when missing; aborts the calling test (fails it under {@code CI})
   * when it cannot be had.
   */
  public static synchronized TemporalCli cli() {
    if (unavailable == null) {
      try {
        return TemporalCli.pinned(line -> System.err.println("[real-server tests] " + line));
      } catch (TemporalCli.NotAvailableException e) {
        // Remembered: the next class should not wait for pip to fail again.
        unavailable = e.getMessage();
      }
    }
    if (System.getenv("CI") != null) {
      fail("CI is set, so the real-server tests may not be skipped: " + unavailable);
    }
    Assumptions.abort("real-server tests skipped: " + unavailable);
    throw new AssertionError("not reached");
  }

  private static String unavailable;

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
