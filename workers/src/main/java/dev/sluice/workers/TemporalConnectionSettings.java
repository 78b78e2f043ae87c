package dev.sluice.workers;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * How a worker or the CLI reaches a Temporal service: address and namespace, TLS (server
 * verification and an optional client certificate for mTLS) and an optional API key. One class for
 * both so that {@code sluice worker} and {@code sluice run} connect the same way.
 *
 * <p>Read from Temporal's own environment variables ({@link #fromEnvironment}):
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>also accepted (Temporal env-config name)</th><th>meaning</th></tr>
 *   <tr><td>{@code TEMPORAL_ADDRESS}</td><td></td><td>frontend {@code host:port}, default {@code 127.0.0.1:7233}</td></tr>
 *   <tr><td>{@code TEMPORAL_NAMESPACE}</td><td></td><td>namespace, default {@code default}</td></tr>
 *   <tr><td>{@code TEMPORAL_TLS_CERT}</td><td>{@code TEMPORAL_TLS_CLIENT_CERT_PATH}</td><td>PEM client certificate (chain) for mTLS</td></tr>
 *   <tr><td>{@code TEMPORAL_TLS_KEY}</td><td>{@code TEMPORAL_TLS_CLIENT_KEY_PATH}</td><td>PEM PKCS#8 private key of that certificate</td></tr>
 *   <tr><td>{@code TEMPORAL_TLS_CA}</td><td>{@code TEMPORAL_TLS_SERVER_CA_CERT_PATH}</td><td>PEM CA certificate(s) to trust instead of the JVM's</td></tr>
 *   <tr><td>{@code TEMPORAL_TLS_SERVER_NAME}</td><td></td><td>name expected in the server's certificate (and sent as SNI), when it differs from the address</td></tr>
 *   <tr><td>{@code TEMPORAL_TLS}</td><td></td><td>{@code true}/{@code false}: force TLS on or off; default on when any TLS file or an API key is set</td></tr>
 *   <tr><td>{@code TEMPORAL_API_KEY}</td><td></td><td>API key, sent as {@code Authorization: Bearer ...} on every call</td></tr>
 * </table>
 *
 * <p>Files are only read by {@link #serviceStubsOptions()}, so settings can be built and checked
 * without touching the file system.
 *
 * @param address frontend {@code host:port}
 * @param namespace Temporal namespace
 * @param tls {@code null}: TLS when anything below asks for it; otherwise forced on/off
 * @param clientCert PEM client certificate, or {@code null}
 * @param clientKey PEM PKCS#8 client key, or {@code null} (set exactly when {@code clientCert} is)
 * @param serverCa PEM CA bundle to trust, or {@code null} for the JVM's trust store
 * @param serverName expected server name (authority override), or {@code null}
 * @param apiKey API key, or {@code null}
 */
public record TemporalConnectionSettings(
    String address,
    String namespace,
    Boolean tls,
    Path clientCert,
    Path clientKey,
    Path serverCa,
    String serverName,
    String apiKey) {

  /** Default frontend address: the local dev server. */
  public static final String DEFAULT_ADDRESS = "127.0.0.1:7233";

  /** Default namespace. */
  public static final String DEFAULT_NAMESPACE = "default";

  /**
   * @throws IllegalArgumentException when only one of certificate and key is given, or when TLS is
   *     forced off while a TLS file or an API key asks for it
   */
  public TemporalConnectionSettings {
    if ((clientCert == null) != (clientKey == null)) {
      throw new IllegalArgumentException(
          "TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together: set both for mTLS, or neither");
    }
    if (Boolean.FALSE.equals(tls) && apiKey != null) {
      // An API key over plain text would be readable by anyone on the path; Temporal's own
      // clients refuse it too unless told otherwise. We do not offer "otherwise".
      throw new IllegalArgumentException(
          "TEMPORAL_TLS=false with TEMPORAL_API_KEY set: an API key is only sent over TLS");
    }
    if (Boolean.FALSE.equals(tls) && (clientCert != null || serverCa != null)) {
      throw new IllegalArgumentException(
          "TEMPORAL_TLS=false, but TEMPORAL_TLS_CERT/KEY/CA are set: unset them or TEMPORAL_TLS");
    }
  }

  /** Plain-text settings for {@code address} and {@code namespace} (a local or compose server). */
  public static TemporalConnectionSettings plain(String address, String namespace) {
    return new TemporalConnectionSettings(address, namespace, null, null, null, null, null, null);
  }

  /**
   * Reads the settings from an environment map (usually {@code System.getenv()}); blank values
   * count as unset.
   *
   * @throws IllegalArgumentException on an unreadable {@code TEMPORAL_TLS} value, on two different
   *     values for one setting under its two names, or as the canonical constructor
   */
  public static TemporalConnectionSettings fromEnvironment(Map<String, String> env) {
    return new TemporalConnectionSettings(
        orDefault(value(env, "TEMPORAL_ADDRESS"), DEFAULT_ADDRESS),
        orDefault(value(env, "TEMPORAL_NAMESPACE"), DEFAULT_NAMESPACE),
        bool(env, "TEMPORAL_TLS"),
        path(env, "TEMPORAL_TLS_CERT", "TEMPORAL_TLS_CLIENT_CERT_PATH"),
        path(env, "TEMPORAL_TLS_KEY", "TEMPORAL_TLS_CLIENT_KEY_PATH"),
        path(env, "TEMPORAL_TLS_CA", "TEMPORAL_TLS_SERVER_CA_CERT_PATH"),
        value(env, "TEMPORAL_TLS_SERVER_NAME"),
        value(env, "TEMPORAL_API_KEY"));
  }

  /** These settings with another address (a command-line flag wins over the environment). */
  public TemporalConnectionSettings withAddress(String newAddress) {
    return new TemporalConnectionSettings(
        newAddress, namespace, tls, clientCert, clientKey, serverCa, serverName, apiKey);
  }

  /** These settings with another namespace (a command-line flag wins over the environment). */
  public TemporalConnectionSettings withNamespace(String newNamespace) {
    return new TemporalConnectionSettings(
        address, newNamespace, tls, clientCert, clientKey, serverCa, serverName, apiKey);
  }

  /** Whether the connection uses TLS: forced by {@code TEMPORAL_TLS}, else implied by the rest. */
  public boolean usesTls() {
    if (tls != null) {
      return tls;
    }
    return clientCert != null || serverCa != null || apiKey != null || serverName != null;
  }

  /**
   * A service stubs options builder for these settings: target, TLS context (when {@link
   * #usesTls()}), API key and server-name override. Reads the certificate files. A builder, not the
   * options, so that callers can add their own (a metrics scope, timeouts).
   *
   * @throws IllegalArgumentException naming the variable whose file cannot be read or parsed
   */
  public WorkflowServiceStubsOptions.Builder serviceStubsOptions() {
    WorkflowServiceStubsOptions.Builder builder =
        WorkflowServiceStubsOptions.newBuilder().setTarget(address);
    if (usesTls()) {
      builder.setSslContext(sslContext());
    }
    if (apiKey != null) {
      String key = apiKey;
      builder.addApiKey(() -> key);
    }
    if (serverName != null) {
      // gRPC takes the authority for both SNI and host-name verification.
      builder.setChannelInitializer(channel -> channel.overrideAuthority(serverName));
    }
    return builder;
  }

  /**
   * The TLS context: the JVM's trust store or {@code serverCa}, plus the client certificate when
   * one is set.
   *
   * @throws IllegalArgumentException naming the variable whose file cannot be read or parsed
   */
  public SslContext sslContext() {
    SimpleSslContextBuilder builder;
    if (clientCert != null) {
      try (InputStream cert = open(clientCert, "TEMPORAL_TLS_CERT");
          InputStream key = open(clientKey, "TEMPORAL_TLS_KEY")) {
        builder = SimpleSslContextBuilder.forPKCS8(cert, key);
        // forPKCS8 only keeps the streams; build() below reads them, so build inside the try.
        return withTrust(builder).build();
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY ("
                + clientCert
                + ", "
                + clientKey
                + "): not a PEM certificate and PKCS#8 PEM key pair: "
                + e.getMessage(),
            e);
      }
    }
    try {
      return withTrust(SimpleSslContextBuilder.noKeyOrCertChain()).build();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot build the TLS context: " + e.getMessage(), e);
    }
  }

  /** Never prints the API key: settings get logged. */
  @Override
  public String toString() {
    return "TemporalConnectionSettings[address="
        + address
        + ", namespace="
        + namespace
        + ", tls="
        + usesTls()
        + ", clientCert="
        + clientCert
        + ", clientKey="
        + clientKey
        + ", serverCa="
        + serverCa
        + ", serverName="
        + serverName
        + ", apiKey="
        + (apiKey == null ? "none" : "***")
        + "]";
  }

  private SimpleSslContextBuilder withTrust(SimpleSslContextBuilder builder) {
    return serverCa == null ? builder : builder.setTrustManager(trustManager(serverCa));
  }

  private static TrustManager trustManager(Path caFile) {
    try (InputStream in = open(caFile, "TEMPORAL_TLS_CA")) {
      Collection<? extends Certificate> cas =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (cas.isEmpty()) {
        throw new IllegalArgumentException("TEMPORAL_TLS_CA: no certificate in " + caFile);
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate ca : cas) {
        store.setCertificateEntry("ca-" + i++, ca);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers()[0];
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "TEMPORAL_TLS_CA: cannot read CA certificates from " + caFile + ": " + e.getMessage(), e);
    }
  }

  private static InputStream open(Path file, String variable) throws IOException {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(variable + ": cannot read " + file);
    }
    return Files.newInputStream(file);
  }

  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static String orDefault(String value, String defaultValue) {
    return value == null ? defaultValue : value;
  }

  private static Path path(Map<String, String> env, String name, String envConfigName) {
    String v = value(env, name);
    String alt = value(env, envConfigName);
    if (v != null && alt != null && !v.equals(alt)) {
      throw new IllegalArgumentException(
          name + " and " + envConfigName + " name different files; set one of them");
    }
    String chosen = v != null ? v : alt;
    return chosen == null ? null : Path.of(chosen);
  }

  private static Boolean bool(Map<String, String> env, String name) {
    String v = value(env, name);
    if (v == null) {
      return null;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> Boolean.TRUE;
      case "false", "0", "no" -> Boolean.FALSE;
      default -> throw new IllegalArgumentException(name + ": '" + v + "' is not true or false");
    };
  }
}
