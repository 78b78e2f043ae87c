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
 */
public final class ProviderClients {
  private final OkHttpClient http;
  private final ObjectMapper json;
  private final SecretResolver secrets;
  private final MeterRegistry registry;
  private final Clock clock;
  private final HttpMetrics metrics;
  private final OAuthTokens tokens;
  private final Authenticators authenticators;
  private final RequestRenderer renderer;

  /**
   * @param http the worker's HTTP client (per-provider variants are made with {@code newBuilder()})
   * @param json the worker's JSON mapper
   * @param secrets resolves {@code ${env:…}} / {@code ${file:…}} references on this worker
   * @param registry where provider responses, rows and bytes are counted
   * @param clock decides token expiry and {@code Retry-After} dates
   */
  public ProviderClients(
      OkHttpClient http,
      ObjectMapper json,
      SecretResolver secrets,
      MeterRegistry registry,
      Clock clock) {
    this.http = Objects.requireNonNull(http, "http");
    this.json = Objects.requireNonNull(json, "json");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = new HttpMetrics(registry);
    this.tokens = new OAuthTokens(http, json, new TokenCache(clock), clock);
    this.authenticators = new Authenticators(tokens, secrets);
    this.renderer = new RequestRenderer(secrets);
  }

  /** As the five-argument constructor, on the system clock. */
  public ProviderClients(
      OkHttpClient http, ObjectMapper json, SecretResolver secrets, MeterRegistry registry) {
    this(http, json, secrets, registry, Clock.systemUTC());
  }

  /** The worker's HTTP client. */
  public OkHttpClient http() {
    return http;
  }

  /** The worker's JSON mapper. */
  public ObjectMapper json() {
    return json;
  }

  /** The worker's secret resolver. */
  public SecretResolver secrets() {
    return secrets;
  }

  /** The worker's meter registry. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The worker's clock. */
  public Clock clock() {
    return clock;
  }

  /** The worker's provider meters (pipeline {@value HttpMetrics#UNKNOWN}). */
  public HttpMetrics metrics() {
    return metrics;
  }

  /** The worker's bearer tokens, over its one token cache. */
  public OAuthTokens tokens() {
    return tokens;
  }

  /** Renders a pipeline's request templates, resolving secret references. */
  public RequestRenderer renderer() {
    return renderer;
  }

  /**
   * The authenticator of a source's {@code auth}.
   *
   * @throws io.temporal.failure.ApplicationFailure see {@link Authenticators#forSpec}
   */
  public Authenticator authenticator(AuthSpec auth) {
    return authenticators.forSpec(auth);
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
