package dev.sluice.activities.http;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The HTTP client a worker builds once and hands to every activity it hosts. It never sends a
 * request a second time on its own when that request may create something: see
 * docs/concepts/non-idempotent-requests.md.
 */
public final class HttpClients {
  /** Methods OkHttp may still repeat on a server's say-so: reads, harmless to send twice. */
  private static final Set<String> REPEATABLE = Set.of("GET", "HEAD");

  private HttpClients() {}

  /**
   * A new worker client: 10s to connect, 60s for a stalled read, no transparent re-sending.
   *
   * <p>A request whose connection fails, or whose answer never arrives, fails with an {@link
   * IOException}, which {@link ProviderHttp} (and the other activities) turn into a retryable
   * failure: the retry is a new activity attempt, which first looks for what the lost attempt may
   * have created (the submit receipt, the batch's egress tag, the provider's idempotency key).
   *
   * @return a client to share between all activities of one worker (and to derive per-provider
   *     variants from with {@code newBuilder()})
   */
  public static OkHttpClient forWorker() {
    return new OkHttpClient.Builder()
        .connectTimeout(Duration.ofSeconds(10))
        // A provider may take a while to start streaming a big result page, but a read stalled
        // for a minute is a dead connection: fail it (and retry from the last checkpoint)
        // well before the extract's 2-minute heartbeat timeout.
        .readTimeout(Duration.ofSeconds(60))
        // OkHttp's default re-sends a request, a POST included, when a reused connection breaks
        // before the answer, though the provider may have acted on the first send: a create
        // sent twice leaves an orphan job or batch. Reads are sent again on a new connection by
        // ProviderHttp ({@link #forReads}); anything else that fails reaches the activity.
        .retryOnConnectionFailure(false)
        .addNetworkInterceptor(HttpClients::noImmediateRepeat)
        // Redirects stay followed. A 307/308 asks for the same request at another URL and means
        // the server did not act on it (RFC 9110 §15.4.8-9), so following it sends the create
        // once, where the server wants it; a 301/302/303 turns it into a GET of the new
        // location, which creates nothing. Not following would fail the request as a 3xx.
        .build();
  }

  /**
   * {@code client} for reads ({@link #isRepeatable}): a request whose reused (pooled) connection
   * breaks before the answer is sent once more on a new connection. Servers close idle keep-alive
   * connections (the JDK's after 30 s, load balancers after a minute or so), so a status check
   * every 30 s would otherwise often meet a closed connection and wait a whole interval for its
   * next attempt. A read sent twice changes nothing; a failure on a new connection still reaches
   * the activity. Shares {@code client}'s connection pool and dispatcher.
   */
  public static OkHttpClient forReads(OkHttpClient client) {
    return client.newBuilder().retryOnConnectionFailure(true).build();
  }

  /** Whether {@code request} is a read, harmless to send twice (GET, HEAD). */
  public static boolean isRepeatable(Request request) {
    return REPEATABLE.contains(request.method());
  }

  /**
   * OkHttp repeats any request at once when the server answers 503 with {@code Retry-After: 0}. For
   * a request that may create something, the header is dropped, so the 503 reaches the activity and
   * its retry is a new attempt like any other.
   */
  private static Response noImmediateRepeat(Interceptor.Chain chain) throws IOException {
    Request request = chain.request();
    Response response = chain.proceed(request);
    String retryAfter = response.header("Retry-After");
    if (response.code() == 503
        && !REPEATABLE.contains(request.method())
        && retryAfter != null
        && retryAfter.trim().matches("0+")) {
      return response.newBuilder().removeHeader("Retry-After").build();
    }
    return response;
  }
}
