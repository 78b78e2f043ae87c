package dev.sluice.activities.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.HttpJobActivitiesImpl;
import dev.sluice.activities.http.ProviderClients;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import okhttp3.OkHttpClient;

/**
 * One sandbox on a free loopback port and the real activities of one worker pointed at it: the
 * worker's client, mapper, files and a secret resolver whose environment holds the sandbox's
 * credentials, as a worker's would. A test builds one per test, so no token, job or fault leaks
 * from one test into the next.
 */
final class SandboxFixture implements AutoCloseable {
  /** The env variables the sources' secret references name; values never enter a source. */
  static final String CLIENT_ID_REF = "${env:SF_CLIENT_ID}";

  static final String CLIENT_SECRET_REF = "${env:SF_CLIENT_SECRET}";
  static final String API_KEY_REF = "${env:EXPORT_API_KEY}";

  final SandboxConfig config;
  final SandboxServer sandbox;
  final HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());
  final HttpJobActivitiesImpl activities;

  private SandboxFixture(SandboxConfig config, OkHttpClient client, Map<String, String> env) {
    this.config = config;
    this.sandbox = SandboxServer.start(config);
    this.activities =
        new HttpJobActivitiesImpl(
            new ProviderClients(
                client,
                new ObjectMapper(),
                new SecretResolver(env::get, "sandbox-test-worker"),
                new SimpleMeterRegistry()),
            files);
  }

  /** The sandbox with {@code config}, and a worker holding its real credentials. */
  static SandboxFixture start(SandboxConfig config) {
    return start(config, new OkHttpClient());
  }

  /** As {@link #start(SandboxConfig)}, with the worker's HTTP client given. */
  static SandboxFixture start(SandboxConfig config, OkHttpClient client) {
    return new SandboxFixture(
        config,
        client,
        Map.of(
            "SF_CLIENT_ID", config.clientId(),
            "SF_CLIENT_SECRET", config.clientSecret(),
            "EXPORT_API_KEY", config.apiKey()));
  }

  /** The sandbox with {@code config}, and a worker whose environment holds {@code env}. */
  static SandboxFixture startWithEnvironment(SandboxConfig config, Map<String, String> env) {
    return new SandboxFixture(config, new OkHttpClient(), env);
  }

  String baseUrl() {
    return sandbox.baseUrl();
  }

  @Override
  public void close() {
    sandbox.close();
  }
}
