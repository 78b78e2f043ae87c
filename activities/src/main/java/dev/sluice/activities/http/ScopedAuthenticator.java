package dev.sluice.activities.http;

import dev.sluice.activities.auth.Authenticator;
import dev.sluice.pipeline.ResultSpec;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * The source's authentication applied only to the URLs {@code extract.result.authorization}
 * allows: with {@code same-host} (the default) a URL on another host than the provider's (scheme,
 * host and port: its origin), such as a pre-signed S3 or GCS URL, gets neither the {@code
 * Authorization} header nor the auth's own headers, so no credential leaves the provider.
 *
 * @param inner the source's authentication
 * @param authorization {@code same-host}, {@code always} or {@code never}
 * @param provider a URL of the provider: the status request's
 */
record ScopedAuthenticator(Authenticator inner, String authorization, HttpUrl provider)
    implements Authenticator {

  /** Whether a request to {@code url} is authenticated (and gets {@code extract.headers}). */
  boolean authorizes(HttpUrl url) {
    return switch (authorization) {
      case ResultSpec.ALWAYS -> true;
      case ResultSpec.NEVER -> false;
      default ->
          url.scheme().equals(provider.scheme())
              && url.host().equalsIgnoreCase(provider.host())
              && url.port() == provider.port();
    };
  }

  @Override
  public Request authenticate(Request request) {
    return authorizes(request.url()) ? inner.authenticate(request) : request;
  }

  @Override
  public boolean refreshAfterUnauthorized(Request rejected) {
    return authorizes(rejected.url()) && inner.refreshAfterUnauthorized(rejected);
  }
}
