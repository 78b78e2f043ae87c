package dev.sluice.activities.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * A batch's files through the Data Access API, as the guide walks them: the batch's dataset files
 * ({@code GET /export/batches/{id}/files}), each dataset file's physical files (its {@code
 * _links.self.href}, {@code GET /export/files/{dataSetFileId}}), each physical file's content (its
 * own {@code _links.self.href}, {@code ?path=name}). Both listings are paged: the platform answers
 * {@code _page} ({@code limit}, {@code count}) and, while more remain, {@code _links.next}; a full
 * page without a next link is followed by asking the next {@code start} anyway.
 */
final class DataAccessFiles {
  /** Data Access's largest page. */
  static final int MAX_PAGE = 100;

  /** Bytes between keep-alive calls while a file downloads. */
  private static final int PROGRESS_EVERY = 1 << 20;

  /**
   * One physical file of a batch.
   *
   * @param dataSetFileId the dataset file it is a part of
   * @param name its name ({@code ?path=})
   * @param length its length as listed, or -1 when the listing gives none
   * @param content where its bytes are
   */
  record PhysicalFile(String dataSetFileId, String name, long length, HttpUrl content) {
    /** How messages name it: {@code <dataSetFileId>/<name>}. */
    String label() {
      return dataSetFileId + "/" + name;
    }
  }

  private final PlatformSession session;
  private final int pageSize;

  /**
   * @param pageSize asked of every listing page; clamped to 1..{@value #MAX_PAGE}
   */
  DataAccessFiles(PlatformSession session, int pageSize) {
    this.session = session;
    this.pageSize = Math.max(1, Math.min(MAX_PAGE, pageSize));
  }

  /** The IDs of the batch's dataset files and their listing URLs, every page, in listed order. */
  List<HttpUrl> datasetFiles(String batchId) {
    List<HttpUrl> listings = new ArrayList<>();
    HttpUrl first = session.connection.url("export", "batches", batchId, "files").build();
    readPages(
        first,
        entry -> {
          String href = entry.path("_links").path("self").path("href").asText("");
          String id = entry.path("dataSetFileId").asText("");
          if (!href.isEmpty()) {
            listings.add(session.link(href));
          } else if (!id.isEmpty()) {
            listings.add(session.connection.url("export", "files", id).build());
          } else {
            return false;
          }
          return true;
        });
    return listings;
  }

  /** The physical files a dataset file's listing names, every page, in listed order. */
  List<PhysicalFile> physicalFiles(HttpUrl listing) {
    String dataSetFileId = listing.pathSegments().get(listing.pathSize() - 1);
    List<PhysicalFile> files = new ArrayList<>();
    readPages(
        listing,
        entry -> {
          String href = entry.path("_links").path("self").path("href").asText("");
          if (href.isEmpty()) {
            return false;
          }
          HttpUrl content = session.link(href);
          String name = entry.path("name").asText("");
          if (name.isEmpty()) {
            name = content.queryParameter("path") == null ? "" : content.queryParameter("path");
          }
          files.add(
              new PhysicalFile(dataSetFileId, name, entry.path("length").asLong(-1), content));
          return true;
        });
    return files;
  }

  /**
   * Streams a file's content to {@code target} (replacing it), never holding it in memory, and
   * reports the bytes written so far to {@code progress} about every megabyte.
   *
   * @throws ApplicationFailure retryable {@link FailureType#HTTP_TRANSIENT} when the content
   *     cannot be read to its end or is shorter or longer than listed (a cut answer must be read
   *     again, not judged malformed); HTTP failures as {@link PlatformSession#execute} throws them
   */
  void download(PhysicalFile file, Path target, LongConsumer progress) {
    Request request = new Request.Builder().url(file.content()).get().build();
    try (Response response = session.execute(request, status -> false);
        ResponseBody body = response.body();
        InputStream in = body.byteStream();
        OutputStream out = Files.newOutputStream(target)) {
      byte[] buffer = new byte[64 * 1024];
      long written = 0;
      long reported = 0;
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        written += n;
        if (written - reported >= PROGRESS_EVERY) {
          progress.accept(written);
          reported = written;
        }
      }
      if (file.length() >= 0 && written != file.length()) {
        throw new IOException("received " + written + " of " + file.length() + " bytes listed");
      }
    } catch (IOException e) {
      // A connection dropped mid-file (or the local disk failed): retried, from the batch's start.
      throw ApplicationFailure.newFailureWithCause(
          "GET "
              + file.content().encodedPath()
              + " ("
              + file.label()
              + ") could not be read to its end: "
              + e,
          FailureType.HTTP_TRANSIENT.type(),
          e);
    }
  }

  /**
   * Reads a Data Access listing page by page; {@code accept} takes each entry of {@code data} (or
   * of the page itself when it is a bare array) and says whether it was usable.
   */
  private void readPages(HttpUrl first, Predicate<JsonNode> accept) {
    Set<HttpUrl> visited = new HashSet<>();
    Set<String> entries = new LinkedHashSet<>();
    int start = 0;
    HttpUrl url = withPage(first, start);
    while (url != null && visited.add(url)) {
      JsonNode page = session.getJson(url);
      JsonNode data = page.isArray() ? page : page.path("data");
      int added = 0;
      for (JsonNode entry : data) {
        // The same entry on two pages (a platform ignoring start) is read once.
        if (entries.add(entry.toString()) && accept.test(entry)) {
          added++;
        }
      }
      start += data.size();
      String next = page.path("_links").path("next").path("href").asText("");
      if (!next.isEmpty()) {
        url = session.link(next);
      } else if (data.size() >= pageSize && added > 0) {
        url = withPage(first, start);
      } else {
        url = null;
      }
    }
  }

  private HttpUrl withPage(HttpUrl url, int start) {
    return url.newBuilder()
        .setQueryParameter("start", Integer.toString(start))
        .setQueryParameter("limit", Integer.toString(pageSize))
        .build();
  }
}
