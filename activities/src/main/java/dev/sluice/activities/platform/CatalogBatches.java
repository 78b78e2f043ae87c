package dev.sluice.activities.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.PlatformMessages.PlatformError;
import dev.sluice.workflows.activities.PlatformSourceMessages.LastBatchResult;
import dev.sluice.workflows.activities.PlatformSourceMessages.ListBatchesRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.ListBatchesResult;
import dev.sluice.workflows.activities.PlatformSourceMessages.SourceBatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * A source dataset's batches from the Catalog ({@code GET /catalog/batches}): the latest one, and
 * those of a time window in created order, read page by page ({@code start}/{@code limit}).
 *
 * <p>The Catalog answers an object keyed by batch ID, documents {@code createdAfter} and {@code
 * createdBefore} as inclusive bounds ("exclude objects created before/after"), and sorts by {@code
 * created} alone. None of that is relied on: the bounds asked for are widened by a millisecond and
 * applied again here exactly as {@link ListBatchesRequest} defines them, and batches are ordered
 * here by (created, ID), so a platform that reads a bound exclusively, or breaks ties in its own
 * way, can neither hide a batch nor show one twice.
 */
final class CatalogBatches {
  /** The Catalog's largest page. */
  static final int MAX_PAGE = 100;

  private static final Comparator<SourceBatch> CREATED_ORDER =
      Comparator.comparingLong(SourceBatch::created).thenComparing(SourceBatch::batchId);

  private final PlatformSession session;
  private final int pageSize;

  /**
   * @param pageSize asked of every page; clamped to 1..{@value #MAX_PAGE}
   */
  CatalogBatches(PlatformSession session, int pageSize) {
    this.session = session;
    this.pageSize = Math.max(1, Math.min(MAX_PAGE, pageSize));
  }

  /**
   * The guide's "last batch status": success is {@code READY}; failure, failed, aborted, inactive
   * (and replaced, a batch a later replay superseded) are final and {@code FAILED}; anything else
   * (loading, staging, queued, processing, retrying…) is not final yet: {@code PENDING}, so a run
   * waits rather than reads past it.
   */
  static Outcome classify(String status) {
    return switch (status.toLowerCase(Locale.ROOT)) {
      case "success" -> Outcome.READY;
      case "failure", "failed", "aborted", "inactive", "replaced" -> Outcome.FAILED;
      default -> Outcome.PENDING;
    };
  }

  /** A batch's {@code errors}, verbatim. */
  static List<PlatformError> errors(JsonNode batch) {
    List<PlatformError> errors = new ArrayList<>();
    for (JsonNode error : batch.path("errors")) {
      errors.add(
          new PlatformError(
              error.hasNonNull("code") ? error.get("code").asText() : null,
              error.hasNonNull("description") ? error.get("description").asText() : null));
    }
    return List.copyOf(errors);
  }

  /** The dataset's most recently created batch (latest by created, then ID), or none. */
  LastBatchResult latest(String datasetId) {
    HttpUrl url =
        session
            .connection
            .url("catalog", "batches")
            .addQueryParameter("dataSet", datasetId)
            .addQueryParameter("limit", "1")
            .addQueryParameter("sort", "desc:created")
            .build();
    String latestId = null;
    JsonNode latest = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = session.getJson(url).fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!entry.getValue().isObject()) {
        continue;
      }
      // Defensive: a platform ignoring sort or limit still yields the latest.
      if (latest == null || later(entry.getKey(), entry.getValue(), latestId, latest)) {
        latestId = entry.getKey();
        latest = entry.getValue();
      }
    }
    if (latest == null) {
      return new LastBatchResult(null, 0, null, null, List.of());
    }
    String status = latest.path("status").asText("");
    return new LastBatchResult(
        latestId, latest.path("created").asLong(0), status, classify(status), errors(latest));
  }

  /**
   * The batches of {@code request}'s window in created order, at most {@code request.limit()}; see
   * {@link ListBatchesRequest} for the bounds.
   */
  ListBatchesResult list(ListBatchesRequest request) {
    String datasetId = request.source().datasetId();
    int limit = Math.max(0, request.limit());
    List<SourceBatch> candidates = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    // Whether the platform has answered in ascending created order so far: only then may the
    // listing stop before the last page.
    boolean ascending = true;
    long lastCreated = Long.MIN_VALUE;
    for (int start = 0; ; start += pageSize) {
      HttpUrl.Builder url =
          session
              .connection
              .url("catalog", "batches")
              .addQueryParameter("dataSet", datasetId)
              .addQueryParameter("sort", "asc:created")
              .addQueryParameter("start", Integer.toString(start))
              .addQueryParameter("limit", Integer.toString(pageSize));
      if (request.createdAfter() > 0) {
        // One millisecond early: right whether the platform reads the bound inclusively or not.
        url.addQueryParameter("createdAfter", Long.toString(request.createdAfter() - 1));
      }
      if (request.createdBefore() < Long.MAX_VALUE) {
        url.addQueryParameter("createdBefore", Long.toString(request.createdBefore()));
      }
      JsonNode page = session.getJson(url.build());
      int added = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = page.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        JsonNode batch = entry.getValue();
        if (!batch.isObject() || !seen.add(entry.getKey())) {
          continue;
        }
        added++;
        long created = batch.path("created").asLong(0);
        ascending &= created >= lastCreated;
        lastCreated = Math.max(lastCreated, created);
        if (inWindow(request, entry.getKey(), created)) {
          String status = batch.path("status").asText("");
          candidates.add(new SourceBatch(entry.getKey(), created, status, classify(status)));
        }
      }
      // A short page is the last; a page of nothing new means the server ignores start.
      if (page.size() < pageSize || added == 0) {
        break;
      }
      if (ascending && candidates.size() > limit && limit > 0) {
        candidates.sort(CREATED_ORDER);
        // Later pages hold nothing created before lastCreated: once that is past the last batch
        // taken, no tie with it can follow.
        if (lastCreated > candidates.get(limit - 1).created()) {
          break;
        }
      }
    }
    candidates.sort(CREATED_ORDER);
    boolean more = candidates.size() > limit;
    return new ListBatchesResult(
        List.copyOf(more ? candidates.subList(0, limit) : candidates), more);
  }

  /**
   * Created at or after {@code createdAfter} (and, at that very instant, with an ID greater than
   * {@code afterBatchId}), and before {@code createdBefore}.
   */
  private static boolean inWindow(ListBatchesRequest request, String batchId, long created) {
    if (created < request.createdAfter() || created >= request.createdBefore()) {
      return false;
    }
    return request.afterBatchId() == null
        || created > request.createdAfter()
        || batchId.compareTo(request.afterBatchId()) > 0;
  }

  private static boolean later(String id, JsonNode batch, String thanId, JsonNode than) {
    long created = batch.path("created").asLong(0);
    long other = than.path("created").asLong(0);
    return created > other || (created == other && id.compareTo(thanId) > 0);
  }
}
