package dev.sluice.activities.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.http.ProviderClients;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.PlatformConnectionSpec;
import dev.sluice.workflows.activities.FailureType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.Type;

/**
 * Browses a platform the way the guide's connection UI does (not an activity: the CLI uses it):
 * datasets from the Catalog, a dataset's schema, and a preview of its latest successful batch
 * through the Data Access API. Failures are the activities' typed {@link ApplicationFailure}s;
 * their message carries the platform's own error text, never a secret.
 */
public final class PlatformCatalogClient {
  /** The Catalog's largest page. */
  static final int PAGE = 100;

  /** Where a dataset's schema came from, best first. */
  public static final String REGISTRY = "registry";

  public static final String OBSERVABLE = "observableSchema";
  public static final String FIELDS = "fields";

  /**
   * @param id the dataset ID
   * @param name its name
   * @param created creation time, epoch milliseconds (0 when absent)
   * @param details the Catalog's whole entry
   */
  public record Dataset(String id, String name, long created, JsonNode details) {}

  /**
   * @param source {@link #REGISTRY} (the {@code schema}/{@code schemaRef} link, expanded), {@link
   *     #OBSERVABLE} or {@link #FIELDS} (deprecated)
   * @param schema the schema as the platform returned it
   */
  public record DatasetSchema(String source, JsonNode schema) {}

  /**
   * @param batchId the latest successful batch
   * @param file the previewed file's name
   * @param columns column names, in file order
   * @param rows at most the requested number of rows (values as strings, null when missing)
   */
  public record Preview(
      String batchId, String file, List<String> columns, List<Map<String, String>> rows) {}

  private final PlatformSession session;

  /**
   * @param spec secret references in it are resolved with {@code secrets} now
   * @throws ApplicationFailure {@code InvalidPipeline} or {@code SecretNotFound} for an unusable
   *     spec
   */
  public PlatformCatalogClient(
      OkHttpClient client,
      ObjectMapper mapper,
      SecretResolver secrets,
      PlatformConnectionSpec spec) {
    this(new ProviderClients(client, mapper, secrets, new SimpleMeterRegistry()), spec);
  }

  /**
   * @param providers the provider clients (and token cache) to call the platform with
   * @param spec secret references in it are resolved with the providers' secrets now
   * @throws ApplicationFailure {@code InvalidPipeline} or {@code SecretNotFound} for an unusable
   *     spec
   */
  public PlatformCatalogClient(ProviderClients providers, PlatformConnectionSpec spec) {
    this.session = new PlatformSession(spec, providers);
  }

  /** Every dataset, all pages ({@code start}/{@code limit}), in the Catalog's order. */
  public List<Dataset> datasets() {
    List<Dataset> all = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int start = 0; ; start += PAGE) {
      HttpUrl url =
          session
              .connection
              .url("catalog", "dataSets")
              .addQueryParameter("start", Integer.toString(start))
              .addQueryParameter("limit", Integer.toString(PAGE))
              .build();
      JsonNode page = session.getJson(url);
      int added = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = page.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        if (entry.getValue().isObject() && seen.add(entry.getKey())) {
          JsonNode d = entry.getValue();
          all.add(
              new Dataset(
                  entry.getKey(), d.path("name").asText(null), d.path("created").asLong(0), d));
          added++;
        }
      }
      // A short page is the last; a page of nothing new means the server ignores start.
      if (page.size() < PAGE || added == 0) {
        return all;
      }
    }
  }

  /**
   * The dataset's schema: the registry schema its {@code schema} (or {@code schemaRef}) link points
   * at, fetched with {@code expansion=xdm}; else its {@code observableSchema}; else the deprecated
   * {@code fields}.
   *
   * @throws ApplicationFailure {@code HttpClientError} when the dataset does not exist or has no
   *     schema at all
   */
  public DatasetSchema schema(String datasetId) {
    JsonNode dataset = dataset(datasetId);
    String link = dataset.path("schema").asText("");
    JsonNode ref = dataset.path("schemaRef");
    if (link.isEmpty() && ref.path("id").isTextual()) {
      link = ref.path("id").asText();
    }
    if (!link.isEmpty()) {
      HttpUrl url;
      if (link.startsWith("@/")
          || link.startsWith(
              session.connection.baseUrl().scheme()
                  + "://"
                  + session.connection.baseUrl().host())) {
        url = session.link(link).newBuilder().addQueryParameter("expansion", "xdm").build();
      } else {
        // A schema ID (https://ns.adobe.com/...) rather than a link: the Schema Registry serves it.
        url = session.connection.url("schemaregistry", "tenant", "schemas", link).build();
        Request call =
            new Request.Builder()
                .url(url)
                .header(
                    "Accept",
                    ref.path("contentType").asText("application/vnd.adobe.xed-full+json;version=1"))
                .get()
                .build();
        try (Response response = session.execute(call, status -> false)) {
          return new DatasetSchema(REGISTRY, session.json(call, response));
        }
      }
      return new DatasetSchema(REGISTRY, session.getJson(url));
    }
    if (dataset.path("observableSchema").isObject() && dataset.get("observableSchema").size() > 0) {
      return new DatasetSchema(OBSERVABLE, dataset.get("observableSchema"));
    }
    if (dataset.path("fields").isArray()) {
      return new DatasetSchema(FIELDS, dataset.get("fields"));
    }
    throw ApplicationFailure.newNonRetryableFailure(
        "dataset " + datasetId + " has neither schema, schemaRef, observableSchema nor fields",
        FailureType.HTTP_CLIENT_ERROR.type());
  }

  /**
   * Up to {@code limit} rows of the first file of the dataset's latest successful batch, through
   * the Data Access API (batch → its files → the file listing → the content). Parquet content is
   * read with parquet-hadoop from a temporary file; anything else is read as CSV with a header.
   *
   * @throws ApplicationFailure {@code HttpClientError} when the dataset has no successful batch or
   *     its batch has no file
   */
  public Preview preview(String datasetId, int limit) {
    HttpUrl batches =
        session
            .connection
            .url("catalog", "batches")
            .addQueryParameter("dataSet", datasetId)
            .addQueryParameter("status", "success")
            .addQueryParameter("sort", "desc:created")
            .addQueryParameter("limit", "1")
            .build();
    String batchId = null;
    long latest = Long.MIN_VALUE;
    for (Iterator<Map.Entry<String, JsonNode>> it = session.getJson(batches).fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      long created = entry.getValue().path("created").asLong(0);
      // Defensive: a platform ignoring sort or limit still yields the latest.
      if (entry.getValue().isObject() && created > latest) {
        latest = created;
        batchId = entry.getKey();
      }
    }
    if (batchId == null) {
      throw notFound("dataset " + datasetId + " has no successful batch to preview");
    }
    JsonNode datasetFiles =
        session.getJson(session.connection.url("export", "batches", batchId, "files").build());
    for (JsonNode datasetFile : datasetFiles.path("data")) {
      String href = datasetFile.path("_links").path("self").path("href").asText("");
      HttpUrl listing =
          href.isEmpty()
              ? session
                  .connection
                  .url("export", "files", datasetFile.path("dataSetFileId").asText())
                  .build()
              : session.link(href);
      for (JsonNode file : session.getJson(listing).path("data")) {
        String contentHref = file.path("_links").path("self").path("href").asText("");
        if (contentHref.isEmpty()) {
          continue;
        }
        String name = file.path("name").asText("");
        return read(batchId, name, session.link(contentHref), limit);
      }
    }
    throw notFound("batch " + batchId + " of dataset " + datasetId + " has no file to preview");
  }

  private JsonNode dataset(String datasetId) {
    return PlatformSession.entity(
        session.getJson(session.connection.url("catalog", "dataSets", datasetId).build()));
  }

  private Preview read(String batchId, String name, HttpUrl content, int limit) {
    Request call = new Request.Builder().url(content).get().build();
    try (Response response = session.execute(call, status -> false)) {
      java.nio.file.Path tmp = Files.createTempFile("sluice-preview-", ".bin");
      try {
        // Parquet's footer is at the end: the file goes to disk, not into memory.
        try (InputStream in = response.body().byteStream()) {
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        return isParquet(tmp) ? parquet(batchId, name, tmp, limit) : csv(batchId, name, tmp, limit);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(
          "GET " + content.encodedPath() + " failed: " + e.getMessage(),
          FailureType.HTTP_TRANSIENT.type(),
          e);
    }
  }

  private static boolean isParquet(java.nio.file.Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(4);
      return magic.length == 4 && new String(magic, StandardCharsets.US_ASCII).equals("PAR1");
    }
  }

  private static Preview parquet(String batchId, String name, java.nio.file.Path file, int limit)
      throws IOException {
    List<String> columns = new ArrayList<>();
    List<Map<String, String>> rows = new ArrayList<>();
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file.toUri());
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), path).withConf(new Configuration()).build()) {
      for (Group group = reader.read();
          group != null && rows.size() < limit;
          group = reader.read()) {
        Map<String, String> row = new LinkedHashMap<>();
        List<Type> fields = group.getType().getFields();
        for (int i = 0; i < fields.size(); i++) {
          row.put(
              fields.get(i).getName(),
              group.getFieldRepetitionCount(i) == 0 ? null : group.getValueToString(i, 0));
        }
        if (columns.isEmpty()) {
          columns.addAll(row.keySet());
        }
        rows.add(row);
      }
    }
    return new Preview(batchId, name, List.copyOf(columns), List.copyOf(rows));
  }

  private static Preview csv(String batchId, String name, java.nio.file.Path file, int limit)
      throws IOException {
    try (Reader reader =
        new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
      List<String> header = CsvRecords.next(reader);
      if (header == null) {
        return new Preview(batchId, name, List.of(), List.of());
      }
      List<Map<String, String>> rows = new ArrayList<>();
      for (List<String> record = CsvRecords.next(reader);
          record != null && rows.size() < limit;
          record = CsvRecords.next(reader)) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
          String value = i < record.size() ? record.get(i) : null;
          row.put(header.get(i), value == null || value.isEmpty() ? null : value);
        }
        rows.add(row);
      }
      return new Preview(batchId, name, List.copyOf(header), List.copyOf(rows));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static ApplicationFailure notFound(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.HTTP_CLIENT_ERROR.type());
  }
}
