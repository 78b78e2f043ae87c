package dev.sluice.activities.download;

import dev.sluice.activities.auth.Authenticator;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.JsonPages;
import dev.sluice.activities.http.ProviderClients;
import dev.sluice.activities.http.ProviderHttp;
import dev.sluice.pipeline.FilesSource;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesRequest;
import io.temporal.failure.ApplicationFailure;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where listed files are read from: the listing's HTTP endpoint, or a file system. */
final class DownloadSource {
  private static final Logger log = LoggerFactory.getLogger(DownloadSource.class);

  private final HadoopFiles files;
  private final SftpFiles sftp;
  private final FilesSource spec;
  private final ProviderHttp authenticated;
  private final ProviderHttp anonymous;
  private final String listingHost;

  DownloadSource(
      ProviderClients providers, HadoopFiles files, SftpFiles sftp, DownloadFilesRequest request) {
    this.files = files;
    this.sftp = sftp;
    this.spec = request.source();
    if (spec.httpListing()) {
      this.authenticated = providers.connect(spec.auth(), request.vars());
      this.anonymous = providers.connect(Authenticator.NONE, request.vars());
      this.listingHost = providers.renderer().url(spec.listing().url(), request.vars()).host();
    } else {
      this.authenticated = null;
      this.anonymous = null;
      this.listingHost = null;
    }
  }

  Opened open(ListedFile file) throws MissingFile {
    if (spec.httpListing()) {
      return openHttp(file);
    }
    return SftpFiles.handles(file.location()) ? openSftp(file) : openFile(file);
  }

  private Opened openSftp(ListedFile file) throws MissingFile {
    InputStream in = sftp.open(spec, file.location());
    if (in == null) {
      throw new MissingFile("gone from " + spec.prefix());
    }
    return streamOf(in, file.location());
  }

  private Opened openHttp(ListedFile file) throws MissingFile {
    HttpUrl url = HttpUrl.get(file.location());
    // Credentials go to the listing's own host only, never to a pre-signed URL elsewhere.
    ProviderHttp http = url.host().equals(listingHost) ? authenticated : anonymous;
    Response response =
        http.execute(new Request.Builder().url(url).get().build(), c -> c == 404 || c == 410);
    if (response.code() == 404 || response.code() == 410) {
      response.close();
      throw new MissingFile("gone from the source (HTTP " + response.code() + ")");
    }
    String where = JsonPages.describe(url);
    return new Opened() {
      @Override
      public InputStream stream() {
        return response.body().byteStream();
      }

      @Override
      public RuntimeException readFailed(ListedFile f, long bytes, IOException e) {
        return ApplicationFailure.newFailureWithCause(
            "GET "
                + where
                + " broke off after "
                + bytes
                + " bytes of "
                + f.name()
                + ": "
                + e.getMessage(),
            FailureType.HTTP_TRANSIENT.type(),
            e);
      }

      @Override
      public void close() {
        response.close();
      }
    };
  }

  private Opened openFile(ListedFile file) throws MissingFile {
    Path path = new Path(file.location());
    InputStream in;
    try {
      in = files.fs(file.location()).open(path);
    } catch (FileNotFoundException e) {
      throw new MissingFile("gone from " + spec.prefix());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + path + ": " + e.getMessage(), e);
    }
    return streamOf(in, path);
  }

  /** A file-system stream: a broken read is an I/O failure, retried. */
  private Opened streamOf(InputStream in, Object path) {
    return new Opened() {
      @Override
      public InputStream stream() {
        return in;
      }

      @Override
      public RuntimeException readFailed(ListedFile f, long bytes, IOException e) {
        return new UncheckedIOException(
            "reading " + path + " failed after " + bytes + " bytes: " + e.getMessage(), e);
      }

      @Override
      public void close() {
        try {
          in.close();
        } catch (IOException e) {
          log.debug("closing {}: {}", path, e.getMessage());
        }
      }
    };
  }

  /** An open source stream and how to describe its failures. */
  interface Opened extends AutoCloseable {
    InputStream stream();

    /** The failure of a read after {@code bytes} bytes: always retryable. */
    RuntimeException readFailed(ListedFile file, long bytes, IOException e);

    @Override
    void close();
  }

  /** The source says the file is not there (HTTP 404/410, or no such file under the prefix). */
  static final class MissingFile extends Exception {
    MissingFile(String message) {
      super(message);
    }
  }
}
