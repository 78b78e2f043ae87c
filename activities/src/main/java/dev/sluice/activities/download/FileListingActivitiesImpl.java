package dev.sluice.activities.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.JsonPages;
import dev.sluice.activities.http.Pagination;
import dev.sluice.activities.http.ProviderClients;
import dev.sluice.pipeline.FileListingSpec;
import dev.sluice.pipeline.FilesSource;
import dev.sluice.pipeline.PaginationSpec;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.filedownload.FileDownloadMessages.ListFilesRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.ListFilesResult;
import dev.sluice.workflows.filedownload.FileListingActivities;
import io.temporal.failure.ApplicationFailure;
import java.io.BufferedWriter;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import okhttp3.HttpUrl;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * {@link FileListingActivities} over OkHttp (JSON listing pages), Hadoop's {@code FileSystem}
 * (prefixes) and {@link SftpFiles} ({@code sftp://} prefixes). One instance per worker.
 */
public final class FileListingActivitiesImpl extends FileSourceActivities
    implements FileListingActivities {
  /** A listing that keeps pointing at a next page this often is looping. */
  static final int MAX_PAGES = 100_000;

  /**
   * @param providers the worker's provider clients (client, mapper, secrets, meters, tokens)
   * @param files reaches prefixes and writes the staging list
   */
  public FileListingActivitiesImpl(ProviderClients providers, HadoopFiles files) {
    super(providers, files);
  }

  @Override
  public ListFilesResult listSourceFiles(ListFilesRequest request) {
    FilesSource source = request.source();
    Path target = new Path(request.listingUri());
    FileSystem fs = files.fs(request.listingUri());
    // Written beside the list, then moved over it: a reader never sees half a list.
    Path tmp = HadoopFiles.hiddenSibling(target);
    ListingWriter writer;
    try {
      fs.mkdirs(target.getParent());
      writer = new ListingWriter(fs, tmp, providers.json());
      try (writer) {
        if (source.httpListing()) {
          listHttp(source, request.vars(), writer);
        } else if (SftpFiles.handles(source.prefix())) {
          listSftp(source, writer);
        } else {
          listPrefix(source, writer);
        }
      }
      files.moveOverwriting(fs, tmp, target);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the staging list " + request.listingUri() + ": " + e.getMessage(), e);
    }
    return new ListFilesResult(request.listingUri(), writer.count, writer.bytes, writer.pages);
  }

  private void listHttp(FilesSource source, Map<String, String> vars, ListingWriter writer)
      throws IOException {
    FileListingSpec listing = source.listing();
    JsonPages pages =
        new JsonPages(
            providers.connect(source.auth(), vars), providers.json(), "listing page", MAX_PAGES);
    // A listing pages by next-URL, when it pages at all: the style an extract's next-url is.
    Pagination pagination =
        listing.nextPage() == null
            ? Pagination.of(new PaginationSpec.None(null, null, MAX_PAGES))
            : Pagination.of(new PaginationSpec.NextUrl(listing.nextPage(), null, null, MAX_PAGES));
    try {
      writer.pages =
          pages.readAll(
              providers.renderer().render(listing.request(), vars),
              pagination,
              (pageUrl, body) -> {
                JsonNode entries = body.at(listing.entries());
                if (!entries.isArray()) {
                  throw invalid(
                      "listing page "
                          + describe(pageUrl)
                          + " has no array at source.listing.entries ("
                          + (listing.entries().isEmpty() ? "the whole page" : listing.entries())
                          + ")");
                }
                for (JsonNode entry : entries) {
                  try {
                    writer.add(entryOf(entry, listing, pageUrl, writer.count));
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                }
                return entries.size();
              });
    } catch (UncheckedIOException e) {
      throw e.getCause(); // the staging list could not be written: reported as such above
    }
  }

  private ListedFile entryOf(JsonNode entry, FileListingSpec listing, HttpUrl pageUrl, int index) {
    FileListingSpec.FileFieldsSpec f = listing.fields();
    String url = text(entry.at(f.url()));
    if (url == null || url.isEmpty()) {
      throw invalid(
          "entry "
              + index
              + " of listing page "
              + describe(pageUrl)
              + " has no URL at source.listing.fields.url ("
              + f.url()
              + ")");
    }
    HttpUrl resolved = pageUrl.resolve(url);
    if (resolved == null) {
      throw invalid("entry " + index + ": '" + url + "' is not a URL");
    }
    String name = text(entry.at(f.name()));
    if (name == null || name.isEmpty()) {
      name = FileNames.lastSegment(resolved.encodedPath());
    }
    JsonNode size = entry.at(f.size());
    String checksum = f.checksum() == null ? null : text(entry.at(f.checksum()));
    if (checksum != null) {
      try {
        Checksums.decode(checksum, Checksums.digest(listing.checksumAlgorithm()).getDigestLength());
      } catch (IllegalArgumentException e) {
        throw invalid("entry " + index + " (" + name + "): checksum " + e.getMessage());
      }
    }
    return new ListedFile(
        index,
        name,
        resolved.toString(),
        size.canConvertToLong() && size.isNumber() ? size.asLong() : parseLong(text(size)),
        checksum,
        checksum == null ? null : listing.checksumAlgorithm(),
        instant(text(entry.at(f.modified())), index, name));
  }

  private void listPrefix(FilesSource source, ListingWriter writer) throws IOException {
    String prefix = source.prefix().endsWith("/") ? source.prefix() : source.prefix() + "/";
    FileSystem fs = files.fs(prefix);
    Path root = fs.makeQualified(new Path(prefix));
    PathMatcher matcher = matcher(source.pattern());
    writer.pages = 1;
    RemoteIterator<LocatedFileStatus> it;
    try {
      it = fs.listFiles(root, source.recursive());
    } catch (FileNotFoundException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "source.prefix " + source.prefix() + " does not exist",
          FailureType.FILE_NOT_FOUND.type());
    }
    String rootText = root.toUri().getPath();
    rootText = rootText.endsWith("/") ? rootText : rootText + "/";
    // listFiles gives no order; sorted, the staging list (and so each index range) is the same for
    // every attempt of the listing.
    java.util.TreeMap<String, LocatedFileStatus> found = new java.util.TreeMap<>();
    while (it.hasNext()) {
      LocatedFileStatus status = it.next();
      String path = status.getPath().toUri().getPath();
      if (!path.startsWith(rootText)) {
        continue;
      }
      String relative = path.substring(rootText.length());
      if (hidden(relative)) {
        continue;
      }
      if (matcher != null && !matcher.matches(java.nio.file.Path.of(relative))) {
        continue;
      }
      found.put(relative, status);
    }
    for (Map.Entry<String, LocatedFileStatus> e : found.entrySet()) {
      LocatedFileStatus status = e.getValue();
      // FileSystem checksums (HDFS: MD5 of CRC32 blocks) are not a file's MD5: verify the size
      // only.
      writer.add(
          new ListedFile(
              writer.count,
              e.getKey(),
              status.getPath().toString(),
              status.getLen(),
              null,
              null,
              Instant.ofEpochMilli(status.getModificationTime()).toString()));
    }
  }

  /** An {@code sftp://} prefix: the same hidden-name and pattern rules as any other prefix. */
  private void listSftp(FilesSource source, ListingWriter writer) throws IOException {
    PathMatcher matcher = matcher(source.pattern());
    writer.pages = 1;
    // Hidden directories are not descended into; the pattern applies to files only.
    var found = sftp.list(source, source.recursive(), FileListingActivitiesImpl::hidden);
    for (Map.Entry<String, SftpFiles.Entry> e : found.entrySet()) {
      if (matcher != null && !matcher.matches(java.nio.file.Path.of(e.getKey()))) {
        continue;
      }
      SftpFiles.Entry file = e.getValue();
      writer.add(
          new ListedFile(
              writer.count,
              e.getKey(),
              file.path(),
              file.size(),
              null,
              null,
              Instant.ofEpochMilli(file.modifiedMillis()).toString()));
    }
  }

  /** Names readers of a directory skip: Hadoop's and Sluice's own ({@code _…}, {@code .…}). */
  private static boolean hidden(String relative) {
    for (String segment : relative.split("/")) {
      if (segment.startsWith("_") || segment.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static PathMatcher matcher(String pattern) {
    if (pattern == null || pattern.isEmpty()) {
      return null;
    }
    String syntax = pattern.startsWith("regex:") || pattern.startsWith("glob:") ? "" : "glob:";
    try {
      return FileSystems.getDefault().getPathMatcher(syntax + pattern);
    } catch (IllegalArgumentException e) {
      throw invalid("source.pattern '" + pattern + "' does not compile: " + e.getMessage());
    }
  }

  private static String instant(String value, int index, String name) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(value).toString();
    } catch (DateTimeParseException notIso) {
      try {
        long n = Long.parseLong(value);
        // Epoch seconds until the year 5138, milliseconds after: both appear in listings.
        return (n < 100_000_000_000L ? Instant.ofEpochSecond(n) : Instant.ofEpochMilli(n))
            .toString();
      } catch (NumberFormatException notNumber) {
        throw invalid(
            "entry "
                + index
                + " ("
                + name
                + "): modification time '"
                + value
                + "' is neither an ISO-8601 instant nor epoch seconds or milliseconds");
      }
    }
  }

  private static Long parseLong(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw invalid("file size '" + value + "' is not a number of bytes");
    }
  }

  private static String text(JsonNode node) {
    return node == null || node.isMissingNode() || node.isNull() ? null : node.asText();
  }

  private static String describe(HttpUrl url) {
    return JsonPages.describe(url);
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_PIPELINE.type());
  }

  /** Streams entries into the staging list, checking each name once. */
  private static final class ListingWriter implements AutoCloseable {
    private final BufferedWriter out;
    private final ObjectMapper mapper;
    private final Map<String, Integer> names = new HashMap<>();
    int count;
    long bytes;
    int pages;

    ListingWriter(FileSystem fs, Path path, ObjectMapper mapper) throws IOException {
      this.out =
          new BufferedWriter(
              new OutputStreamWriter(fs.create(path, true), StandardCharsets.UTF_8), 1 << 16);
      this.mapper = mapper;
    }

    void add(ListedFile file) throws IOException {
      FileNames.problem(file.name())
          .ifPresent(
              p -> {
                throw invalid("listed file " + file.index() + ": name '" + file.name() + "' " + p);
              });
      Integer earlier = names.putIfAbsent(file.name(), file.index());
      if (earlier != null) {
        // Both would land under one name, the second over the first.
        throw invalid(
            "listed files "
                + earlier
                + " and "
                + file.index()
                + " both land as '"
                + file.name()
                + "'; give each a distinct name (source.listing.fields.name)");
      }
      out.write(mapper.writeValueAsString(file));
      out.write('\n');
      count++;
      bytes += file.size() == null ? 0 : file.size();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
