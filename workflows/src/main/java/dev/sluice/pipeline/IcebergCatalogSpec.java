package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * The Iceberg catalog an {@code iceberg} sink's table is registered in; {@code type} in YAML
 * selects the record (default {@code hadoop}). Iceberg's own catalog classes do the work; the
 * activities only map these keys to catalog properties. Secret values are references, resolved
 * only inside activities.
 */
// No defaultImpl: an unknown type must fail to read. The pipeline loader writes the default type
// (hadoop) into a catalog object that leaves it out.
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(IcebergCatalogSpec.Hadoop.class),
  @JsonSubTypes.Type(IcebergCatalogSpec.Jdbc.class),
  @JsonSubTypes.Type(IcebergCatalogSpec.Rest.class)
})
public sealed interface IcebergCatalogSpec extends TypedComponent {

  /** The type a catalog written without one has: {@code hadoop}, its warehouse still needed. */
  IcebergCatalogSpec DEFAULT = new Hadoop(null);

  /** Where the catalog keeps its tables (a path URI; for {@code rest}, what the server calls it). */
  String warehouse();

  /** The same catalog with its warehouse at {@code resolved} (a relative path resolved). */
  IcebergCatalogSpec withWarehouse(String resolved);

  /**
   * Iceberg's file-system catalog: tables are directories under {@code warehouse}, no server.
   *
   * @param warehouse a {@code file://}, {@code hdfs://} or {@code s3a://} URI, or a path relative
   *     to the pipeline file
   */
  @JsonTypeName("hadoop")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Hadoop(@Required String warehouse) implements IcebergCatalogSpec {
    @Override
    public Hadoop withWarehouse(String resolved) {
      return new Hadoop(resolved);
    }
  }

  /**
   * Iceberg's JDBC catalog: the table pointers in a database (SQLite, PostgreSQL), the files under
   * {@code warehouse}.
   *
   * @param uri the JDBC URL, e.g. {@code jdbc:sqlite:/var/lib/sluice/catalog.db}
   * @param warehouse where new tables' files go, as for {@code hadoop}
   * @param user the database user (a secret reference), or null
   * @param password the database password (a secret reference), or null
   */
  @JsonTypeName("jdbc")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Jdbc(
      @Required String uri, @Required String warehouse, @Secret String user, @Secret String password)
      implements IcebergCatalogSpec {
    @Override
    public Jdbc withWarehouse(String resolved) {
      return new Jdbc(uri, resolved, user, password);
    }
  }

  /**
   * An Iceberg REST catalog server (Polaris, Nessie, Gravitino, Lakekeeper, a cloud's).
   *
   * @param uri the server's base URL
   * @param warehouse the warehouse name or location the server expects, or null
   * @param credential OAuth2 client credentials {@code client_id:client_secret} (a secret
   *     reference), or null
   * @param token a bearer token (a secret reference), or null
   */
  @JsonTypeName("rest")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Rest(
      @Required String uri, String warehouse, @Secret String credential, @Secret String token)
      implements IcebergCatalogSpec {
    @Override
    public Rest withWarehouse(String resolved) {
      return new Rest(uri, resolved, credential, token);
    }
  }
}
