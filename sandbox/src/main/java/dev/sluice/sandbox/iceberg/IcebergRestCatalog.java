package dev.sluice.sandbox.iceberg;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Iceberg REST catalog, as the Iceberg REST OpenAPI spec defines it, under {@code /iceberg/} of
 * the sandbox: point a client's {@code uri} at {@link #uri()}. Table metadata is kept by Iceberg's
 * {@code JdbcCatalog} over a SQLite file in the warehouse directory ({@value #CATALOG_DB}), so
 * tables outlive a restart of the sandbox when the warehouse is a directory of the user's; clients
 * write data and manifests straight to the file system, as with any REST catalog.
 *
 * <ul>
 *   <li>{@code GET v1/config}: the endpoints below (no prefix, no overrides)
 *   <li>{@code POST v1/oauth/tokens}: OAuth2 client credentials ({@link #CLIENT_ID}, {@link
 *       #CLIENT_SECRET}) and token exchange; answers an access token
 *   <li>namespaces and tables: list, create, load, exists, drop, commit, register, rename, metrics
 *       ({@link RestRoutes}); errors as the spec's {@code ErrorResponse}: 404 {@code
 *       NoSuchNamespaceException} / {@code NoSuchTableException}, 409 {@code
 *       CommitFailedException} / {@code AlreadyExistsException}, 400, 401
 * </ul>
 *
 * Every endpoint but the token endpoint requires {@code Authorization: Bearer <token>}: {@link
 * #TOKEN}, or one the token endpoint issued. Knobs, from Java: {@link #conflictOnNextCommits},
 * {@link #loseNextCommitAnswers}, {@link #beforeNextCommit}.
 */
public final class IcebergRestCatalog implements AutoCloseable {
  /** Paths this emulation serves (a context of the sandbox's server). */
  public static final List<String> PATH_PREFIXES = List.of("/iceberg/");

  /** The client ID the OAuth2 endpoint accepts ({@code credential: id:secret}). */
  public static final String CLIENT_ID = "sluice-iceberg-client";

  /** The client secret the OAuth2 endpoint accepts. */
  public static final String CLIENT_SECRET = "sluice-iceberg-secret";

  /** A bearer token accepted as is ({@code token:}), without the OAuth2 endpoint. */
  public static final String TOKEN = "sluice-iceberg-token";

  /** The SQLite file of the backing catalog, in the warehouse directory. */
  public static final String CATALOG_DB = "sluice-rest-catalog.db";

  private static final Logger log = LoggerFactory.getLogger(IcebergRestCatalog.class);
  private static final String PREFIX = PATH_PREFIXES.get(0);
  private static final String LOOPBACK = "127.0.0.1";

  private final String uri;
  private final Path configuredWarehouse;
  private final CatalogTokens tokens = new CatalogTokens();
  private final CommitKnobs knobs = new CommitKnobs();
  private final RestRoutes routes = new RestRoutes(this::backing, knobs);
  private Path warehouse;
  private JdbcCatalog catalog;
  private HttpServer server; // set by serve(): the catalog's own listener

  /**
   * @param baseUrl the sandbox's {@code http://127.0.0.1:<port>}
   * @param warehouse the directory tables and the catalog's database go in; null for a temporary
   *     one, made on first use
   */
  public IcebergRestCatalog(String baseUrl, Path warehouse) {
    this.uri = baseUrl + PREFIX.substring(0, PREFIX.length() - 1);
    this.configuredWarehouse = warehouse;
  }

  /**
   * The catalog alone on a listener of its own, 127.0.0.1 and a free port, until {@link #close()}:
   * for tests that need no other emulation (the sandbox's other emulations take a while to seed).
   *
   * @param warehouse as for the constructor
   * @throws UncheckedIOException if no port can be bound
   */
  public static IcebergRestCatalog serve(Path warehouse) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind " + LOOPBACK, e);
    }
    IcebergRestCatalog catalog =
        new IcebergRestCatalog("http://" + LOOPBACK + ":" + server.getAddress().getPort(), warehouse);
    PATH_PREFIXES.forEach(prefix -> server.createContext(prefix, catalog.handler()));
    // Threads of their own: a commit held by beforeNextCommit waits for another writer's commit.
    AtomicInteger count = new AtomicInteger();
    server.setExecutor(
        Executors.newFixedThreadPool(
            4,
            runnable -> {
              Thread thread = new Thread(runnable, "iceberg-rest-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            }));
    server.start();
    catalog.server = server;
    return catalog;
  }

  /** The catalog's base URL, a client's {@code uri}: {@code http://127.0.0.1:<port>/iceberg}. */
  public String uri() {
    return uri;
  }

  /** The warehouse as a location URI ({@code file:///...}, no trailing slash); made if absent. */
  public synchronized String warehouse() {
    if (warehouse == null) {
      try {
        warehouse =
            configuredWarehouse == null
                ? Files.createTempDirectory("sluice-iceberg-")
                : Files.createDirectories(configuredWarehouse.toAbsolutePath());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make the iceberg warehouse " + configuredWarehouse, e);
      }
    }
    String location = warehouse.toUri().toString();
    return location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
  }

  /** Answers the next {@code times} commits with 409 {@code CommitFailedException}, unapplied. */
  public void conflictOnNextCommits(int times) {
    knobs.conflicts(times);
  }

  /** Applies the next {@code times} commits and closes the connection instead of answering. */
  public void loseNextCommitAnswers(int times) {
    knobs.loseAnswers(times);
  }

  /**
   * Runs {@code action} when the next commit arrives, before it is checked against the table: a
   * commit another writer makes there (over HTTP too) is the concurrent one the arriving commit's
   * requirements then fail on.
   */
  public void beforeNextCommit(Runnable action) {
    knobs.beforeNextCommit(action);
  }

  /** Table commits applied so far. */
  public int commits() {
    return knobs.applied();
  }

  /** Tokens the OAuth2 endpoint granted so far. */
  public int tokenGrants() {
    return tokens.grants();
  }

  /** The handler of {@link #PATH_PREFIXES}. */
  public HttpHandler handler() {
    return this::handle;
  }

  /** Closes the backing catalog (its database connection), and stops the listener of serve(). */
  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      ((ExecutorService) server.getExecutor()).shutdownNow();
      server = null;
    }
    if (catalog != null) {
      catalog.close();
      catalog = null;
    }
  }

  private synchronized Catalog backing() {
    if (catalog == null) {
      String location = warehouse();
      JdbcCatalog jdbc = new JdbcCatalog();
      jdbc.setConf(new Configuration());
      jdbc.initialize(
          "sandbox",
          Map.of(
              // WAL, synced at checkpoints: a commit is not an fsync of its own (the sandbox's
              // durability need is a restart, not a power cut).
              CatalogProperties.URI,
              "jdbc:sqlite:" + warehouse.resolve(CATALOG_DB) + "?journal_mode=WAL&synchronous=NORMAL",
              CatalogProperties.WAREHOUSE_LOCATION, location,
              // One connection: SQLite has one writer at a time, so commits queue here instead of
              // failing with SQLITE_BUSY.
              CatalogProperties.CLIENT_POOL_SIZE, "1",
              // The current schema of the catalog's tables (with views) for a new database.
              "jdbc.schema-version", "V1"));
      catalog = jdbc;
    }
    return catalog;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      RestReply reply = answer(exchange);
      if (reply != RestReply.LOST) {
        send(exchange, reply);
      } else {
        log.debug("Losing the answer to a commit (sandbox knob)");
      }
    } finally {
      exchange.close();
    }
  }

  private RestReply answer(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    byte[] body = exchange.getRequestBody().readAllBytes();
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    String raw = exchange.getRequestURI().getRawPath();
    List<String> path =
        Arrays.stream(raw.substring(Math.min(raw.length(), PREFIX.length())).split("/"))
            .filter(s -> !s.isEmpty())
            .toList();
    if (path.isEmpty() || !path.get(0).equals("v1")) {
      return RestReply.error(404, "NotFoundException", "no resource at " + raw);
    }
    List<String> v1 = path.subList(1, path.size());
    try {
      if (v1.equals(List.of("oauth", "tokens"))) {
        return method.equals("POST")
            ? tokens.grant(body, auth)
            : RestReply.error(405, "MethodNotAllowedException", "POST only");
      }
      if (!tokens.authorized(auth)) {
        return RestReply.error(
            401, "NotAuthorizedException", "missing or wrong bearer token (Authorization: Bearer)");
      }
      return routes.handle(
          method, v1, CatalogTokens.form(exchange.getRequestURI().getRawQuery()), body);
    } catch (RuntimeException e) {
      RestReply reply = RestReply.error(e);
      if (reply.status() >= 500) {
        log.error("Iceberg REST catalog failed on {} {}", method, raw, e);
      }
      return reply;
    }
  }

  private static void send(HttpExchange exchange, RestReply reply) throws IOException {
    if (reply.json() == null || exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(reply.status(), -1);
      return;
    }
    byte[] bytes = reply.json().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(reply.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
