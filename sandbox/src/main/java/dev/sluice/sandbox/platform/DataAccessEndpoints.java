package dev.sluice.sandbox.platform;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Data Access API under {@code /data/foundation/export}: a batch's dataset files, a dataset
 * file's physical parts (both paged with {@code start}/{@code limit}, answering {@code _page} and a
 * {@code _links.next} while more remain), and a part's content ({@code ?path=name}). Only
 * successful (or since replaced) batches have files to read.
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
    // One entry per dataset file: its parts share the ID and are listed by file().
    Map<String, Batch.Published> byId = new LinkedHashMap<>();
    batch.published().forEach(f -> byId.putIfAbsent(f.dataSetFileId(), f));
    List<Batch.Published> all = List.copyOf(byId.values());
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
    paging(json, page, files.size(), all.size(), BASE + "/batches/" + batch.id + "/files?");
    return Reply.json(200, json);
  }

  private Reply file(Call call) {
    String fileId = call.group(1);
    List<Batch.Published> parts = store.parts(fileId);
    if (parts.isEmpty()) {
      throw PlatformFailure.notFound("file " + fileId + " not found");
    }
    String path = call.query().get("path");
    if (path != null) {
      return parts.stream()
          .filter(p -> p.name().equals(path))
          .findFirst()
          .map(p -> Reply.bytes(p.bytes()))
          .orElseThrow(() -> PlatformFailure.notFound("file " + fileId + " has no part " + path));
    }
    Call.Page page = call.page(DEFAULT_LIMIT, MAX_LIMIT);
    List<Batch.Published> listed = page.of(parts);
    ObjectNode json = Reply.object();
    ArrayNode data = json.putArray("data");
    for (Batch.Published part : listed) {
      ObjectNode entry =
          data.addObject().put("name", part.name()).put("length", part.bytes().length);
      entry
          .putObject("_links")
          .putObject("self")
          .put(
              "href",
              baseUrl
                  + BASE
                  + "/files/"
                  + fileId
                  + "?path="
                  + URLEncoder.encode(part.name(), StandardCharsets.UTF_8));
    }
    paging(json, page, listed.size(), parts.size(), BASE + "/files/" + fileId + "?");
    return Reply.json(200, json);
  }

  /** {@code _page}, and {@code _links.next} (same path, next offset) while more remain. */
  private void paging(ObjectNode json, Call.Page page, int count, int total, String pathAndQuery) {
    json.putObject("_page").put("limit", page.limit()).put("count", count);
    if (page.start() + count < total) {
      json.putObject("_links")
          .putObject("next")
          .put(
              "href",
              baseUrl
                  + pathAndQuery
                  + "start="
                  + (page.start() + count)
                  + "&limit="
                  + page.limit());
    }
  }
}
