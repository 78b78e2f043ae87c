package dev.sluice.sandbox.platform;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The Data Access API under {@code /data/foundation/export}: a batch's files (paged with {@code
 * start}/{@code limit}, {@code _page} and a {@code _links.next} while more remain), a file's
 * physical parts, and their content ({@code ?path=name}). Only successful (or since replaced)
 * batches have files to read.
 */
final class DataAccessEndpoints {

  private static final String BASE = "/data/foundation/export";
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 100;

  private final BatchStore store;
  private final String baseUrl;

  DataAccessEndpoints(BatchStore store, String baseUrl) {
    this.store = store;
    this.baseUrl = baseUrl;
  }

  void register(PlatformRoutes routes) {
    routes
        .gated("GET", BASE + "/batches/([^/]+)/files", "list", this::batchFiles)
        .gated("GET", BASE + "/files/([^/]+)", "download", this::file);
  }

  private Reply batchFiles(Call call) {
    Batch batch = store.get(call.group(1), false);
    List<Batch.Published> all = batch.published();
    Call.Page page = call.page(DEFAULT_LIMIT, MAX_LIMIT);
    List<Batch.Published> files = page.of(all);
    ObjectNode json = Reply.object();
    ArrayNode data = json.putArray("data");
    for (Batch.Published file : files) {
      ObjectNode entry =
          data.addObject()
              .put("dataSetFileId", file.dataSetFileId())
              .put("dataSetViewId", batch.datasetId + "-view")
              .put("version", "1.0.0")
              .put("created", Long.toString(file.created()))
              .put("updated", Long.toString(file.created()))
              .put("isValid", true);
      entry
          .putObject("_links")
          .putObject("self")
          .put("href", baseUrl + BASE + "/files/" + file.dataSetFileId());
    }
    json.putObject("_page").put("limit", page.limit()).put("count", files.size());
    if (page.start() + files.size() < all.size()) {
      json.putObject("_links")
          .putObject("next")
          .put(
              "href",
              baseUrl
                  + BASE
                  + "/batches/"
                  + batch.id
                  + "/files?start="
                  + (page.start() + files.size())
                  + "&limit="
                  + page.limit());
    }
    return Reply.json(200, json);
  }

  private Reply file(Call call) {
    Batch.Published file =
        store
            .file(call.group(1))
            .orElseThrow(() -> PlatformFailure.notFound("file " + call.group(1) + " not found"));
    String path = call.query().get("path");
    if (path != null) {
      if (!path.equals(file.name())) {
        throw PlatformFailure.notFound("file " + file.dataSetFileId() + " has no part " + path);
      }
      return Reply.bytes(file.bytes());
    }
    ObjectNode json = Reply.object();
    ObjectNode entry =
        json.putArray("data")
            .addObject()
            .put("name", file.name())
            .put("length", file.bytes().length);
    entry
        .putObject("_links")
        .putObject("self")
        .put(
            "href",
            baseUrl
                + BASE
                + "/files/"
                + file.dataSetFileId()
                + "?path="
                + java.net.URLEncoder.encode(file.name(), java.nio.charset.StandardCharsets.UTF_8));
    json.putObject("_page").put("limit", MAX_LIMIT).put("count", 1);
    return Reply.json(200, json);
  }
}
