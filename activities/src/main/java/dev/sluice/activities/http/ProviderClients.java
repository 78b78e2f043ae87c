package dev.sluice.activities.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.auth.Authenticator;
import dev.sluice.activities.auth.Authenticators;
import dev.sluice.activities.auth.OAuthTokens;
import dev.sluice.activities.auth.TokenCache;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.AuthSpec;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * What every activity that talks to a provider shares on one worker: the HTTP client, the JSON
 * mapper, the secret resolver, the meters, the clock and the one {@link TokenCache} (keyed by the
 * exact credential set, so each provider connection has its token and no other). Built once per
 * worker and handed to every activity implementation.
 *
 * @param http the worker's HTTP client (per-provider variants are made with {@code newBuilder()})
 * @param json the worker's JSON mapper
 * @param secrets resolves {@code ${env:…}} / {@code ${file:…}} references on this worker
 * @param registry where provider responses, rows and bytes are counted
 * @param clock decides token expiry and {@code Retry-After} dates
 * @param metrics the worker's provider meters (pipeline {@value HttpMetrics#UNKNOWN}), over {@code
 *     registry}
 * @param tokens the worker's bearer tokens, over its one token cache
 * @param renderer renders a pipeline's request templates, resolving secret references
 */
public record ProviderClients(
    OkHttpClient http,
    ObjectMapper json,
    SecretResolver secrets,
    MeterRegistry registry,
    Clock clock,
    HttpMetrics metrics,
    OAuthTokens tokens,
    RequestRenderer renderer) {
  public ProviderClients {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(clock, "clock");
  }

  /**
   * The worker's provider clients over its client, mapper, secrets, meters and clock, with one token
   * cache.
   */
  public ProviderClients(
      OkHttpClient http,
      ObjectMapper json,
      SecretResolver secrets,
      MeterRegistry registry,
      Clock clock) {
    this(
        http,
        json,
        secrets,
        registry,
        clock,
        new HttpMetrics(registry),
        new OAuthTokens(http, json, new TokenCache(clock), clock),
        new RequestRenderer(secrets));
  }

  /** As the five-argument constructor, on the system clock. */
  public ProviderClients(
      OkHttpClient http, ObjectMapper json, SecretResolver secrets, MeterRegistry registry) {
    this(http, json, secrets, registry, Clock.systemUTC());
  }

  /**
   * The authenticator of a source's {@code auth}.
   *
   * @throws io.temporal.failure.ApplicationFailure see {@link Authenticators#forSpec}
   */
  public Authenticator authenticator(AuthSpec auth) {
    return new Authenticators(tokens, secrets).forSpec(auth);
  }

  /** Calls to a provider with {@code auth}, counted under the pipeline of {@code vars}. */
  public ProviderHttp connect(Authenticator auth, Map<String, String> vars) {
    return new ProviderHttp(http, auth, metrics.forPipeline(vars), clock);
  }

  /** As {@link #connect(Authenticator, Map)} with the authenticator of {@code auth}. */
  public ProviderHttp connect(AuthSpec auth, Map<String, String> vars) {
    return connect(authenticator(auth), vars);
  }
}
