package dev.sluice.activities.files;

import dev.sluice.activities.fs.CountingInputStream;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.HttpFailures;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Locale;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Opens a source file by URI as a stream: {@code http(s)://} through the worker's OkHttp client,
 * every other scheme through Hadoop's {@code FileSystem} ({@code file:}, {@code hdfs:}, {@code
 * s3a:}…, whatever connectors the worker has). Failures are typed as the HTTP extract types them:
 * what a retry cannot fix is non-retryable.
 */
final class SourceFiles {
  private final OkHttpClient client;
  private final HadoopFiles files;
  private final Clock clock;

  SourceFiles(OkHttpClient client, HadoopFiles files) {
    this.client = client;
    this.files = files;
    this.clock = Clock.systemUTC();
  }

  /** An open source file and how many bytes have been read from it. */
  interface Opened extends AutoCloseable {
    /** The raw bytes, as stored (still gzipped for a {@code .gz} file). */
    InputStream body();

    long bytesRead();

    @Override
    void close() throws IOException;
  }

  /**
   * Opens {@code uri}.
   *
   * @throws ApplicationFailure non-retryable {@link FailureType#SOURCE_FILE_NOT_FOUND} when the
   *     file does not exist (HTTP 404/410, no such file) or its host does not resolve; {@link
   *     FailureType#HTTP_CLIENT_ERROR} for another 4xx other than 408/429; {@link
   *     FailureType#INVALID_PIPELINE} for a URI that does not parse or has no scheme, or a scheme
   *     with no file system on this worker. Retryable {@link FailureType#HTTP_TRANSIENT} for 5xx,
   *     408, 429 ({@code Retry-After} honoured) and I/O errors such as a refused connection
   * @throws java.io.UncheckedIOException for other file-system errors (retryable)
   */
  Opened open(String uri) {
    String scheme = schemeOf(uri);
    return scheme.equals("http") || scheme.equals("https") ? openHttp(uri) : openHadoop(uri);
  }

  private Opened openHttp(String uri) {
    HttpUrl url = HttpUrl.parse(uri);
    if (url == null) {
      throw invalid("uri: '" + describe(uri) + "' is not a valid HTTP URL");
    }
    Request request = new Request.Builder().url(url).get().build();
    Response response;
    try {
      response = client.newCall(request).execute();
    } catch (UnknownHostException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "GET " + describe(uri) + " failed: unknown host " + url.host(),
          FailureType.SOURCE_FILE_NOT_FOUND.type(),
          e);
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(
          "GET " + describe(uri) + " failed: " + e, FailureType.HTTP_TRANSIENT.type(), e);
    }
    int status = response.code();
    if (status == 404 || status == 410) {
      response.close();
      throw ApplicationFailure.newNonRetryableFailure(
          "GET " + describe(uri) + " answered HTTP " + status + ": no such file",
          FailureType.SOURCE_FILE_NOT_FOUND.type());
    }
    if (!response.isSuccessful()) {
      String snippet = snippet(response);
      response.close();
      String message = "GET " + describe(uri) + " answered HTTP " + status + ": " + snippet;
      if (status >= 500 || status == 408 || status == 429) {
        ApplicationFailure.Builder failure =
            ApplicationFailure.newBuilder()
                .setMessage(message)
                .setType(FailureType.HTTP_TRANSIENT.type());
        HttpFailures.retryAfter(response.header("Retry-After"), clock)
            .ifPresent(failure::setNextRetryDelay);
        throw failure.build();
      }
      throw ApplicationFailure.newNonRetryableFailure(message, FailureType.HTTP_CLIENT_ERROR.type());
    }
    return counted(response.body().byteStream(), response);
  }

  private Opened openHadoop(String uri) {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(URI.create(uri));
    InputStream in;
    try {
      in = files.fs(uri).open(path);
    } catch (FileNotFoundException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          describe(uri) + ": no such file", FailureType.SOURCE_FILE_NOT_FOUND.type(), e);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(
          "cannot open " + describe(uri) + ": " + e.getMessage(), e);
    }
    return counted(in, in);
  }

  /** {@code in}, counting the bytes read from it; closing closes {@code resource}. */
  private static Opened counted(InputStream in, Closeable resource) {
    CountingInputStream body = new CountingInputStream(in);
    return new Opened() {
      @Override
      public InputStream body() {
        return body;
      }

      @Override
      public long bytesRead() {
        return body.count();
      }

      @Override
      public void close() throws IOException {
        resource.close();
      }
    };
  }

  /**
   * The URI as messages may show it: without user info, query or fragment (a query may carry a
   * signature or token).
   */
  static String describe(String uri) {
    try {
      URI u = new URI(uri);
      if (u.getScheme() == null
          || (u.getRawUserInfo() == null
              && u.getRawQuery() == null
              && u.getRawFragment() == null)) {
        return uri;
      }
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null)
          .toString();
    } catch (URISyntaxException e) {
      int cut = uri.indexOf('?');
      return cut < 0 ? uri : uri.substring(0, cut);
    }
  }

  private static String schemeOf(String uri) {
    try {
      String scheme = new URI(uri).getScheme();
      if (scheme == null) {
        throw invalid("uri: '" + uri + "' has no scheme (file://, http(s)://, hdfs://, s3a://…)");
      }
      return scheme.toLowerCase(Locale.ROOT);
    } catch (URISyntaxException e) {
      throw invalid("uri: '" + describe(uri) + "' is not a URI: " + e.getReason());
    }
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_PIPELINE.type());
  }

  /** Up to 1 KiB of an error body, for the failure message. */
  private static String snippet(Response response) {
    try {
      String text = response.peekBody(1024).string();
      return text.isBlank() ? "(empty body)" : text;
    } catch (IOException e) {
      return "(body unreadable: " + e.getMessage() + ")";
    }
  }
}
