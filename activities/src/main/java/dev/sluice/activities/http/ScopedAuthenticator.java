package dev.sluice.activities.http;

import dev.sluice.activities.auth.Authenticator;
import dev.sluice.pipeline.ResultSpec;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
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
 * @param added the names of the headers the authentication added so far
 */
record ScopedAuthenticator(
    Authenticator inner, String authorization, HttpUrl provider, Set<String> added)
    implements Authenticator {

  ScopedAuthenticator(Authenticator inner, String authorization, HttpUrl provider) {
    this(inner, authorization, provider, ConcurrentHashMap.newKeySet());
  }

  /**
   * Removes the headers this authentication added from a request (a redirect followed by the
   * client) to a URL it does not authorize: OkHttp drops {@code Authorization} on a redirect to
   * another host, but not an auth's own header ({@code x-amz-access-token}, an API key).
   */
  Interceptor redirectGuard() {
    return chain -> {
      Request request = chain.request();
      if (authorizes(request.url()) || added.isEmpty()) {
        return chain.proceed(request);
      }
      Request.Builder stripped = request.newBuilder();
      added.forEach(stripped::removeHeader);
      return chain.proceed(stripped.build());
    };
  }

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
    if (!authorizes(request.url())) {
      return request;
    }
    Request authenticated = inner.authenticate(request);
    for (String name : authenticated.headers().names()) {
      if (request.header(name) == null) {
        added.add(name);
      }
    }
    return authenticated;
  }

  @Override
  public boolean refreshAfterUnauthorized(Request rejected) {
    return authorizes(rejected.url()) && inner.refreshAfterUnauthorized(rejected);
  }

  /** Only for a request it authenticated: a pre-signed URL's 403 is never the token's. */
  @Override
  public boolean refreshAfterForbidden(Request rejected, String body) {
    return authorizes(rejected.url()) && inner.refreshAfterForbidden(rejected, body);
  }
}
