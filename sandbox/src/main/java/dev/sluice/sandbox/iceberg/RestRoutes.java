package dev.sluice.sandbox.iceberg;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.rest.CatalogHandlers;
import org.apache.iceberg.rest.Endpoint;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.RegisterTableRequest;
import org.apache.iceberg.rest.requests.RenameTableRequest;
import org.apache.iceberg.rest.requests.ReportMetricsRequest;
import org.apache.iceberg.rest.requests.UpdateNamespacePropertiesRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ConfigResponse;

/**
 * The catalog endpoints of the Iceberg REST OpenAPI spec, each answered by iceberg-core's {@link
 * CatalogHandlers} over the backing catalog: namespaces (list, create, load, exists, drop,
 * properties), tables (list, create, load, exists, commit, drop, register, rename, metrics). No
 * {@code prefix}: paths are {@code v1/namespaces/...}. A namespace in a path is its levels joined
 * by the unit separator (0x1F), URL-encoded; a table name is URL-encoded.
 */
final class RestRoutes {

  /** What {@code GET v1/config} advertises: the client calls nothing else. */
  static final List<Endpoint> ENDPOINTS =
      List.of(
          Endpoint.V1_LIST_NAMESPACES,
          Endpoint.V1_CREATE_NAMESPACE,
          Endpoint.V1_LOAD_NAMESPACE,
          Endpoint.V1_NAMESPACE_EXISTS,
          Endpoint.V1_DELETE_NAMESPACE,
          Endpoint.V1_UPDATE_NAMESPACE,
          Endpoint.V1_LIST_TABLES,
          Endpoint.V1_CREATE_TABLE,
          Endpoint.V1_LOAD_TABLE,
          Endpoint.V1_TABLE_EXISTS,
          Endpoint.V1_UPDATE_TABLE,
          Endpoint.V1_DELETE_TABLE,
          Endpoint.V1_REGISTER_TABLE,
          Endpoint.V1_RENAME_TABLE,
          Endpoint.V1_REPORT_METRICS);

  private static final char NAMESPACE_SEPARATOR = '\u001f';

  private final Supplier<Catalog> catalog;
  private final CommitKnobs knobs;

  RestRoutes(Supplier<Catalog> catalog, CommitKnobs knobs) {
    this.catalog = catalog;
    this.knobs = knobs;
  }

  /**
   * Answers {@code method} on {@code path} (the raw segments after {@code v1/}).
   *
   * @throws RuntimeException a catalog exception, for {@link RestReply#error(RuntimeException)}
   */
  RestReply handle(String method, List<String> path, Map<String, String> query, byte[] body) {
    int n = path.size();
    String first = n > 0 ? path.get(0) : "";
    if (n == 1 && first.equals("config")) {
      return only(method, "GET", () -> RestReply.ok(config()));
    }
    if (n == 2 && first.equals("tables") && path.get(1).equals("rename")) {
      return only(method, "POST", () -> rename(body));
    }
    if (!first.equals("namespaces")) {
      return noRoute(method, path);
    }
    if (n == 1) {
      return switch (method) {
        case "GET" -> RestReply.ok(listNamespaces(query));
        case "POST" ->
            RestReply.ok(
                CatalogHandlers.createNamespace(
                    namespaces(), RestReply.read(body, CreateNamespaceRequest.class)));
        default -> notAllowed(method, "GET, POST");
      };
    }
    Namespace ns = namespace(path.get(1));
    if (n == 2) {
      return switch (method) {
        case "GET" -> RestReply.ok(CatalogHandlers.loadNamespace(namespaces(), ns));
        case "HEAD" -> done(() -> CatalogHandlers.namespaceExists(namespaces(), ns));
        case "DELETE" -> done(() -> CatalogHandlers.dropNamespace(namespaces(), ns));
        default -> notAllowed(method, "GET, HEAD, DELETE");
      };
    }
    String what = path.get(2);
    if (n == 3 && (what.equals("properties") || what.equals("register"))) {
      return only(
          method,
          "POST",
          () -> RestReply.ok(what.equals("register") ? register(ns, body) : properties(ns, body)));
    }
    if (n == 3 && what.equals("tables")) {
      return switch (method) {
        case "GET" -> RestReply.ok(listTables(ns, query));
        case "POST" -> RestReply.ok(createTable(ns, body));
        default -> notAllowed(method, "GET, POST");
      };
    }
    if (!what.equals("tables") || n > 5) {
      return noRoute(method, path);
    }
    // As servers that keep namespaces answer (the spec allows either 404): a table of a missing
    // namespace is a missing namespace, which a client must tell from a missing table.
    if (!namespaces().namespaceExists(ns)) {
      throw new NoSuchNamespaceException("Namespace does not exist: %s", ns);
    }
    TableIdentifier table = TableIdentifier.of(ns, CatalogTokens.decode(path.get(3)));
    if (n == 5) {
      return path.get(4).equals("metrics")
          ? only(method, "POST", () -> metrics(body))
          : noRoute(method, path);
    }
    return switch (method) {
      case "GET" -> RestReply.ok(CatalogHandlers.loadTable(catalog.get(), table, snapshots(query)));
      case "HEAD" -> done(() -> CatalogHandlers.tableExists(catalog.get(), table));
      case "POST" -> commit(table, body);
      case "DELETE" ->
          done(
              () -> {
                if (Boolean.parseBoolean(query.getOrDefault("purgeRequested", "false"))) {
                  CatalogHandlers.purgeTable(catalog.get(), table);
                } else {
                  CatalogHandlers.dropTable(catalog.get(), table);
                }
              });
      default -> notAllowed(method, "GET, HEAD, POST, DELETE");
    };
  }

  private static ConfigResponse config() {
    return ConfigResponse.builder().withEndpoints(ENDPOINTS).build();
  }

  /** A commit: the knobs' faults first (a conflict, a hook), then Iceberg's own checks. */
  private RestReply commit(TableIdentifier table, byte[] body) {
    UpdateTableRequest request = RestReply.read(body, UpdateTableRequest.class);
    knobs.beforeCommit(table);
    RestReply reply = RestReply.ok(CatalogHandlers.updateTable(catalog.get(), table, request));
    return knobs.afterCommit() ? reply : RestReply.LOST;
  }

  private Object createTable(Namespace ns, byte[] body) {
    CreateTableRequest request = RestReply.read(body, CreateTableRequest.class);
    request.validate();
    return request.stageCreate()
        ? CatalogHandlers.stageTableCreate(catalog.get(), ns, request)
        : CatalogHandlers.createTable(catalog.get(), ns, request);
  }

  private Object properties(Namespace ns, byte[] body) {
    return CatalogHandlers.updateNamespaceProperties(
        namespaces(), ns, RestReply.read(body, UpdateNamespacePropertiesRequest.class));
  }

  private Object register(Namespace ns, byte[] body) {
    return CatalogHandlers.registerTable(
        catalog.get(), ns, RestReply.read(body, RegisterTableRequest.class));
  }

  private Object listNamespaces(Map<String, String> query) {
    String parent = query.get("parent");
    Namespace ns = parent == null || parent.isEmpty() ? Namespace.empty() : levels(parent);
    String pageSize = query.get("pageSize");
    return pageSize == null
        ? CatalogHandlers.listNamespaces(namespaces(), ns)
        : CatalogHandlers.listNamespaces(namespaces(), ns, query.get("pageToken"), pageSize);
  }

  private Object listTables(Namespace ns, Map<String, String> query) {
    String pageSize = query.get("pageSize");
    return pageSize == null
        ? CatalogHandlers.listTables(catalog.get(), ns)
        : CatalogHandlers.listTables(catalog.get(), ns, query.get("pageToken"), pageSize);
  }

  private RestReply rename(byte[] body) {
    RenameTableRequest request = RestReply.read(body, RenameTableRequest.class);
    return done(() -> CatalogHandlers.renameTable(catalog.get(), request));
  }

  /** Read (so a malformed report is a 400) and dropped: the emulation keeps no metrics. */
  private static RestReply metrics(byte[] body) {
    RestReply.read(body, ReportMetricsRequest.class);
    return RestReply.NO_CONTENT;
  }

  private static SnapshotMode snapshots(Map<String, String> query) {
    String mode = query.getOrDefault("snapshots", "all").toUpperCase(Locale.ROOT);
    try {
      return SnapshotMode.valueOf(mode);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("snapshots must be all or refs, not %s", mode);
    }
  }

  private SupportsNamespaces namespaces() {
    return (SupportsNamespaces) catalog.get(); // the backing JdbcCatalog keeps namespaces
  }

  /** A namespace path segment: URL-decoded, then split at the unit separator. */
  private static Namespace namespace(String rawSegment) {
    return levels(CatalogTokens.decode(rawSegment));
  }

  private static Namespace levels(String decoded) {
    return Namespace.of(decoded.split(String.valueOf(NAMESPACE_SEPARATOR), -1));
  }

  private static RestReply done(Runnable action) {
    action.run();
    return RestReply.NO_CONTENT;
  }

  private static RestReply only(String method, String allowed, Supplier<RestReply> answer) {
    return method.equals(allowed) ? answer.get() : notAllowed(method, allowed);
  }

  private static RestReply notAllowed(String method, String allowed) {
    return RestReply.error(
        405, "MethodNotAllowedException", method + " not allowed here; allowed: " + allowed);
  }

  private static RestReply noRoute(String method, List<String> path) {
    return RestReply.error(
        400, "BadRequestException", "no route for " + method + " v1/" + String.join("/", path));
  }
}
