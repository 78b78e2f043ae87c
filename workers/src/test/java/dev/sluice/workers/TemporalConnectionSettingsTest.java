package dev.sluice.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.protobuf.services.HealthStatusManager;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection settings against a real TLS gRPC server on loopback that requires a client
 * certificate (as Temporal Cloud's mTLS namespaces do) and serves the gRPC health service the SDK's
 * {@code healthCheck()} calls. Certificates are made per run with the JDK's {@code keytool}, so no
 * private key is checked in.
 */
class TemporalConnectionSettingsTest {
  private static final String WORKFLOW_SERVICE = "temporal.api.workflowservice.v1.WorkflowService";
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  @TempDir static Path dir;
  private static Pem server;
  private static Pem client;

  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private Server grpc;
  private WorkflowServiceStubs stubs;

  @BeforeAll
  static void makeCertificates() throws Exception {
    // The server's certificate names temporal.test only, so that connecting to 127.0.0.1 needs
    // TEMPORAL_TLS_SERVER_NAME; each self-signed certificate is its own trust anchor.
    List<Process> keytools = new ArrayList<>();
    keytools.add(keytool("server", "CN=temporal.test", "SAN=dns:temporal.test"));
    keytools.add(keytool("client", "CN=sluice-worker", null));
    for (Process p : keytools) {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
      assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }
    server = Pem.export("server");
    client = Pem.export("client");
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (stubs != null) {
      stubs.shutdownNow();
      stubs.awaitTermination(5, TimeUnit.SECONDS);
    }
    if (grpc != null) {
      grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void givenClientCertificateKeyAndCa_whenCheckingHealth_thenMutualTlsHandshakeSucceeds()
      throws IOException {
    int port = startMutualTlsServer();
    TemporalConnectionSettings settings =
        TemporalConnectionSettings.fromEnvironment(
            Map.of(
                "TEMPORAL_ADDRESS", "127.0.0.1:" + port,
                "TEMPORAL_TLS_CERT", client.cert().toString(),
                "TEMPORAL_TLS_KEY", client.key().toString(),
                "TEMPORAL_TLS_CA", server.cert().toString(),
                "TEMPORAL_TLS_SERVER_NAME", "temporal.test"));

    stubs = WorkflowServiceStubs.newServiceStubs(settings.serviceStubsOptions().build());

    assertEquals(ServingStatus.SERVING, stubs.healthCheck().getStatus());
  }

  @Test
  void givenCertificateTheServerDoesNotTrust_whenCheckingHealth_thenCallFails() throws IOException {
    int port = startMutualTlsServer();
    TemporalConnectionSettings settings =
        new TemporalConnectionSettings(
            // The server trusts the client's certificate only; its own is a stranger to it.
            "127.0.0.1:" + port,
            "default",
            null,
            server.cert(),
            server.key(),
            server.cert(),
            "temporal.test",
            null);

    stubs = WorkflowServiceStubs.newServiceStubs(settings.serviceStubsOptions().build());

    assertThrows(StatusRuntimeException.class, stubs::healthCheck);
  }

  @Test
  void givenNoServerName_whenCertificateNamesAnotherHost_thenHostNameVerificationFails()
      throws IOException {
    int port = startMutualTlsServer();
    TemporalConnectionSettings settings =
        new TemporalConnectionSettings(
            "127.0.0.1:" + port,
            "default",
            null,
            client.cert(),
            client.key(),
            server.cert(),
            null,
            null);

    stubs = WorkflowServiceStubs.newServiceStubs(settings.serviceStubsOptions().build());

    assertThrows(StatusRuntimeException.class, stubs::healthCheck);
  }

  @Test
  void givenApiKey_whenCallingServer_thenEveryCallCarriesBearerHeaderOverTls() throws IOException {
    int port = startMutualTlsServer();
    TemporalConnectionSettings settings =
        TemporalConnectionSettings.fromEnvironment(
                Map.of(
                    "TEMPORAL_API_KEY", "k-123",
                    "TEMPORAL_TLS_CLIENT_CERT_PATH", client.cert().toString(),
                    "TEMPORAL_TLS_CLIENT_KEY_PATH", client.key().toString(),
                    "TEMPORAL_TLS_SERVER_CA_CERT_PATH", server.cert().toString(),
                    "TEMPORAL_TLS_SERVER_NAME", "temporal.test"))
            .withAddress("127.0.0.1:" + port);

    stubs = WorkflowServiceStubs.newServiceStubs(settings.serviceStubsOptions().build());
    stubs.healthCheck();

    assertTrue(authorizations.contains("Bearer k-123"), "headers seen: " + authorizations);
  }

  @Test
  void givenApiKeyOnly_whenBuildingOptions_thenTlsIsOnWithJvmTrustStore() {
    TemporalConnectionSettings settings =
        TemporalConnectionSettings.fromEnvironment(
            Map.of("TEMPORAL_ADDRESS", "ns.acct.tmprl.cloud:7233", "TEMPORAL_API_KEY", "k"));

    assertTrue(settings.usesTls());
    assertNotNull(settings.serviceStubsOptions().build().getSslContext());
    assertEquals(1, settings.serviceStubsOptions().build().getGrpcMetadataProviders().size());
  }

  @Test
  void givenNoTlsSettings_whenBuildingOptions_thenPlainTextWithDefaults() {
    TemporalConnectionSettings settings = TemporalConnectionSettings.fromEnvironment(Map.of());

    assertEquals("127.0.0.1:7233", settings.address());
    assertEquals("default", settings.namespace());
    assertFalse(settings.usesTls());
    assertNull(settings.serviceStubsOptions().build().getSslContext());
  }

  @Test
  void givenCertificateWithoutKey_whenReading_thenFailsNamingBothVariables() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TemporalConnectionSettings.fromEnvironment(Map.of("TEMPORAL_TLS_CERT", "/c.pem")));
    assertTrue(e.getMessage().contains("TEMPORAL_TLS_KEY"), e.getMessage());
  }

  @Test
  void givenApiKeyWithTlsForcedOff_whenReading_thenRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TemporalConnectionSettings.fromEnvironment(
                Map.of("TEMPORAL_API_KEY", "k", "TEMPORAL_TLS", "false")));
  }

  @Test
  void givenBothNamesForOneFileDisagree_whenReading_thenRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TemporalConnectionSettings.fromEnvironment(
                Map.of("TEMPORAL_TLS_CA", "/a.pem", "TEMPORAL_TLS_SERVER_CA_CERT_PATH", "/b.pem")));
  }

  @Test
  void givenMissingCaFile_whenBuildingOptions_thenMessageNamesTheVariable() {
    TemporalConnectionSettings settings =
        TemporalConnectionSettings.fromEnvironment(
            Map.of("TEMPORAL_TLS_CA", dir.resolve("absent.pem").toString()));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, settings::serviceStubsOptions);
    assertTrue(e.getMessage().startsWith("TEMPORAL_TLS_CA"), e.getMessage());
  }

  @Test
  void givenApiKey_whenPrinted_thenKeyIsHidden() {
    String printed =
        TemporalConnectionSettings.fromEnvironment(Map.of("TEMPORAL_API_KEY", "secret-key-value"))
            .toString();

    assertFalse(printed.contains("secret-key-value"), printed);
  }

  private int startMutualTlsServer() throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus(WORKFLOW_SERVICE, ServingStatus.SERVING);
    ServerInterceptor recordAuthorization =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            String value = headers.get(AUTHORIZATION);
            if (value != null) {
              authorizations.add(value);
            }
            return next.startCall(call, headers);
          }
        };
    grpc =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(
                GrpcSslContexts.forServer(server.cert().toFile(), server.key().toFile())
                    .trustManager(client.cert().toFile())
                    .clientAuth(ClientAuth.REQUIRE)
                    .build())
            .addService(
                ServerInterceptors.intercept(health.getHealthService(), recordAuthorization))
            .build()
            .start();
    return grpc.getPort();
  }

  private static Process keytool(String alias, String dname, String extension) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.add("-J-XX:TieredStopAtLevel=1"); // a short-lived JVM: C1 only starts faster
    command.addAll(
        List.of(
            "-genkeypair",
            "-alias",
            alias,
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-dname",
            dname,
            "-validity",
            "2",
            "-storetype",
            "PKCS12",
            "-keystore",
            dir.resolve(alias + ".p12").toString(),
            "-storepass",
            "changeit",
            "-keypass",
            "changeit"));
    if (extension != null) {
      command.addAll(List.of("-ext", extension));
    }
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** A certificate and its PKCS#8 key as PEM files, exported from keytool's PKCS#12 store. */
  private record Pem(Path cert, Path key) {
    static Pem export(String alias) throws Exception {
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(dir.resolve(alias + ".p12"))) {
        store.load(in, "changeit".toCharArray());
      }
      Key key = store.getKey(alias, "changeit".toCharArray());
      Path cert = dir.resolve(alias + ".crt");
      Path keyFile = dir.resolve(alias + ".key");
      Files.writeString(cert, pem("CERTIFICATE", store.getCertificate(alias).getEncoded()));
      Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
      return new Pem(cert, keyFile);
    }

    private static String pem(String type, byte[] der) {
      return "-----BEGIN "
          + type
          + "-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
          + "\n-----END "
          + type
          + "-----\n";
    }
  }
}
