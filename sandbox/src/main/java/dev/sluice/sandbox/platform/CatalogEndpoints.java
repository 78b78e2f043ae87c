package dev.sluice.sandbox.platform;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Catalog API under {@code /data/foundation/catalog}: datasets (paged with {@code start} and
 * {@code limit}, answered as objects keyed by ID), a dataset's files, registry schemas, and batches
 * filtered by {@code dataSet}, {@code status}, {@code createdAfter} and {@code createdBefore} (both
 * inclusive, as Catalog's "exclude objects created before/after" reads), sorted by {@code
 * sort=asc:created|desc:created} (ascending by default).
 */
final class CatalogEndpoints {

  private static final String BASE = "/data/foundation/catalog";
  // Catalog's paging: 50 objects unless asked, at most 100.
  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 100;

  private final BatchStore store;
  private final Supplier<PlatformCredentials> credentials;
  private final PlatformCounters counters;

  CatalogEndpoints(
      BatchStore store, Supplier<PlatformCredentials> credentials, PlatformCounters counters) {
    this.store = store;
    this.credentials = credentials;
    this.counters = counters;
  }

  void register(PlatformRoutes routes) {
    routes
        .gated("GET", BASE + "/dataSets", "list", this::datasets)
        .gated("GET", BASE + "/dataSets/([^/]+)", "list", this::dataset)
        .gated("GET", BASE + "/dataSets/([^/]+)/views/([^/]+)/files", "list", this::datasetFiles)
        .gated("GET", BASE + "/xdms/(.+)", "list", this::schema)
        .gated("GET", BASE + "/batches", "list", this::batches)
        .gated("GET", BASE + "/batches/([^/]+)", "status", this::batch);
  }

  private Reply datasets(Call call) {
    ObjectNode json = Reply.object();
    call.page(DEFAULT_LIMIT, MAX_LIMIT)
        .of(store.datasets())
        .forEach(d -> json.set(d.id(), CatalogJson.dataset(d, credentials.get().imsOrg())));
    return Reply.json(200, json);
  }

  private Reply dataset(Call call) {
    DatasetSeed dataset = store.requireDataset(call.group(1));
    return Reply.json(
        200,
        Reply.object().set(dataset.id(), CatalogJson.dataset(dataset, credentials.get().imsOrg())));
  }

  /** The guide's "list dataset files": the published files of the dataset's successful batches. */
  private Reply datasetFiles(Call call) {
    DatasetSeed dataset = store.requireDataset(call.group(1));
    if (!call.group(2).equals(CatalogJson.viewId(dataset))) {
      throw PlatformFailure.notFound(
          "view " + call.group(2) + " of dataset " + dataset.id() + " not found");
    }
    ObjectNode json = Reply.object();
    List<Batch> batches =
        store.all().stream().filter(b -> b.datasetId.equals(dataset.id())).toList();
    // One entry per dataset file (its parts share the ID).
    List<Object[]> files = new ArrayList<>();
    for (Batch batch : batches) {
      Set<String> seen = new HashSet<>();
      for (Batch.Published file : batch.published()) {
        if (seen.add(file.dataSetFileId())) {
          files.add(new Object[] {batch, file});
        }
      }
    }
    String org = credentials.get().imsOrg();
    String client = credentials.get().clientId();
    for (Object[] pair : call.page(DEFAULT_LIMIT, MAX_LIMIT).of(files)) {
      Batch batch = (Batch) pair[0];
      Batch.Published file = (Batch.Published) pair[1];
      json.putObject(file.dataSetFileId())
          .put("version", "1.0.0")
          .put("batchId", batch.id)
          .put("created", file.created())
          .put("updated", file.created())
          .put("imsOrg", org)
          .put("dataSetViewId", CatalogJson.viewId(dataset))
          .put("createdClient", client)
          .putObject("availableDates");
    }
    return Reply.json(200, json);
  }

  private Reply schema(Call call) {
    String path = call.group(1);
    DatasetSeed dataset =
        store
            .schema(path)
            .orElseThrow(
                () -> PlatformFailure.notFound("schema " + path + " not found in the registry"));
    return Reply.json(
        200, CatalogJson.schema(dataset, "xdm".equals(call.query().get("expansion"))));
  }

  private Reply batches(Call call) {
    String dataSet = call.param("dataSet").orElse(null);
    String status = call.param("status").orElse(null);
    long after = call.longParam("createdAfter", Long.MIN_VALUE);
    long before = call.longParam("createdBefore", Long.MAX_VALUE);
    String sort = call.param("sort").orElse("asc:created");
    Comparator<Batch> order =
        Comparator.comparingLong((Batch b) -> b.created).thenComparing(b -> b.id);
    if (sort.equals("desc:created")) {
      order = order.reversed();
    } else if (!sort.equals("asc:created")) {
      throw PlatformFailure.badRequest("sort must be asc:created or desc:created, got " + sort);
    }
    List<Batch> matching =
        store.all().stream()
            .filter(b -> dataSet == null || b.datasetId.equals(dataSet))
            .filter(b -> status == null || b.status().equals(status))
            .filter(b -> b.created >= after && b.created <= before)
            .sorted(order)
            .toList();
    ObjectNode json = Reply.object();
    PlatformCredentials creds = credentials.get();
    call.page(DEFAULT_LIMIT, MAX_LIMIT)
        .of(matching)
        .forEach(b -> json.set(b.id, CatalogJson.batch(b, creds.imsOrg(), creds.clientId())));
    return Reply.json(200, json);
  }

  private Reply batch(Call call) {
    counters.increment(PlatformCounters.Event.STATUS_POLL);
    Batch batch = store.get(call.group(1), true);
    PlatformCredentials creds = credentials.get();
    return Reply.json(
        200,
        Reply.object().set(batch.id, CatalogJson.batch(batch, creds.imsOrg(), creds.clientId())));
  }
}
