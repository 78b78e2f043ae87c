package dev.sluice.activities.iceberg;

import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.activities.template.Templates;
import dev.sluice.pipeline.IcebergCatalogSpec;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotAuthorizedException;

/**
 * The Iceberg catalogs of a worker, one per catalog definition, and the tables of {@code iceberg}
 * sinks in them. Iceberg's own catalog classes do the work ({@code HadoopCatalog}, {@code
 * JdbcCatalog}, {@code RESTCatalog}, built by {@link CatalogUtil#buildIcebergCatalog}); this class
 * only maps a sink's {@code catalog:} keys to their properties ({@link #properties}) and resolves
 * the secret references on the worker, so no secret enters workflow history.
 *
 * <p>Catalogs are kept for the worker's life (a JDBC catalog holds a connection pool, a REST
 * catalog its token), keyed by the definition as written: a rotated secret behind the same
 * reference is picked up when the worker restarts.
 */
public final class IcebergCatalogs {
  /** The name Sluice's catalogs carry in Iceberg (metrics, logs); not part of any path. */
  static final String CATALOG_NAME = "sluice";

  private final Configuration conf;
  private final SecretResolver secrets;
  private final Map<IcebergCatalogSpec, Catalog> catalogs = new ConcurrentHashMap<>();

  /**
   * @param conf the worker's Hadoop configuration (file systems, s3a credentials)
   * @param secrets resolves the catalog's secret references
   */
  public IcebergCatalogs(Configuration conf, SecretResolver secrets) {
    this.conf = conf;
    this.secrets = secrets;
  }

  /**
   * The catalog {@code spec} describes, built on first use.
   *
   * @throws ApplicationFailure non-retryable {@code AuthFailed}, naming the catalog's URI, when a
   *     REST catalog refuses the sink's token or credential (401, 403)
   */
  public Catalog catalog(IcebergCatalogSpec spec) {
    try {
      return catalogs.computeIfAbsent(
          spec,
          s -> CatalogUtil.buildIcebergCatalog(CATALOG_NAME, properties(s, this::resolve), conf));
    } catch (NotAuthorizedException | ForbiddenException e) {
      String uri = spec instanceof IcebergCatalogSpec.Rest rest ? rest.uri() : "";
      String status = e instanceof NotAuthorizedException ? "401" : "403";
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "iceberg catalog " + uri + " refused the sink's credentials (" + status + " "
              + e.getMessage() + "): check sink.catalog.token or sink.catalog.credential",
          FailureType.AUTH_FAILED.type(),
          e);
    }
  }

  /** The identifier of the sink's table: its namespace levels and name. */
  public static TableIdentifier identifier(IcebergSink sink) {
    return TableIdentifier.of(Namespace.of(sink.namespace().toArray(String[]::new)), sink.name());
  }

  /**
   * The sink's table, or empty when the catalog has none yet (no run committed to it). A REST
   * catalog may answer a table of a missing namespace with either 404: both are "none yet".
   */
  public Optional<Table> load(IcebergSink sink) {
    try {
      return Optional.of(catalog(sink.catalog()).loadTable(identifier(sink)));
    } catch (NoSuchTableException | NoSuchNamespaceException e) {
      return Optional.empty();
    }
  }

  /**
   * The sink's table; created when absent with {@code schema} (field IDs as given), the sink's
   * partitioning ({@link Partitioning}) and its compression, its namespace created first when the
   * catalog keeps namespaces. Two runs creating it at once: the second loads what the first
   * created.
   *
   * @throws dev.sluice.activities.parquet.InvalidSinkException when a partition transform names a
   *     column {@code schema} lacks
   */
  public Table loadOrCreate(IcebergSink sink, Schema schema) {
    Optional<Table> existing = load(sink);
    if (existing.isPresent()) {
      return existing.get();
    }
    Catalog catalog = catalog(sink.catalog());
    TableIdentifier id = identifier(sink);
    PartitionSpec spec = Partitioning.spec(schema, sink.partitionBy());
    if (catalog instanceof SupportsNamespaces namespaces && !id.namespace().isEmpty()) {
      try {
        if (!namespaces.namespaceExists(id.namespace())) {
          namespaces.createNamespace(id.namespace());
        }
      } catch (AlreadyExistsException e) {
        // created meanwhile by another run
      }
    }
    Catalog.TableBuilder builder =
        catalog
            .buildTable(id, schema)
            .withPartitionSpec(spec)
            .withProperty(TableProperties.DEFAULT_FILE_FORMAT, "parquet")
            .withProperty(TableProperties.PARQUET_COMPRESSION, codec(sink.compression()));
    if (sink.catalog() instanceof IcebergCatalogSpec.Rest) {
      // The server places tables where it likes unless told; Sluice's leases sit at sink.path().
      builder = builder.withLocation(sink.path());
    }
    try {
      return builder.create();
    } catch (AlreadyExistsException e) {
      return catalog.loadTable(id);
    }
  }

  /**
   * The catalog properties of {@code spec}, secrets passed through {@code resolve} (a reference
   * such as {@code ${env:NAME}} in, its value out): what {@link CatalogUtil#buildIcebergCatalog}
   * reads.
   */
  public static Map<String, String> properties(
      IcebergCatalogSpec spec, java.util.function.UnaryOperator<String> resolve) {
    Map<String, String> props = new LinkedHashMap<>();
    if (spec instanceof IcebergCatalogSpec.Hadoop hadoop) {
        props.put(CatalogUtil.ICEBERG_CATALOG_TYPE, CatalogUtil.ICEBERG_CATALOG_TYPE_HADOOP);
        props.put(CatalogProperties.WAREHOUSE_LOCATION, hadoop.warehouse());
    } else if (spec instanceof IcebergCatalogSpec.Jdbc jdbc) {
        props.put(CatalogUtil.ICEBERG_CATALOG_TYPE, CatalogUtil.ICEBERG_CATALOG_TYPE_JDBC);
        props.put(CatalogProperties.URI, jdbc.uri());
        props.put(CatalogProperties.WAREHOUSE_LOCATION, jdbc.warehouse());
        putResolved(props, "jdbc.user", jdbc.user(), resolve);
        putResolved(props, "jdbc.password", jdbc.password(), resolve);
    } else if (spec instanceof IcebergCatalogSpec.Rest rest) {
        props.put(CatalogUtil.ICEBERG_CATALOG_TYPE, CatalogUtil.ICEBERG_CATALOG_TYPE_REST);
        props.put(CatalogProperties.URI, rest.uri());
        if (rest.warehouse() != null) {
          props.put(CatalogProperties.WAREHOUSE_LOCATION, rest.warehouse());
        }
        // OAuth2Properties.CREDENTIAL / TOKEN: the client credentials grant, or a fixed token.
        putResolved(props, "credential", rest.credential(), resolve);
        putResolved(props, "token", rest.token(), resolve);
    }
    return props;
  }

  private static void putResolved(
      Map<String, String> props,
      String key,
      String reference,
      java.util.function.UnaryOperator<String> resolve) {
    if (reference != null && !reference.isEmpty()) {
      props.put(key, resolve.apply(reference));
    }
  }

  private String resolve(String reference) {
    return Templates.render(reference, Map.of(), secrets);
  }

  /** Iceberg's name of the sink's codec ({@code none} is {@code uncompressed}). */
  static String codec(String compression) {
    String c = compression.trim().toLowerCase(java.util.Locale.ROOT);
    return List.of("snappy", "zstd", "gzip").contains(c) ? c : "uncompressed";
  }
}
