package dev.sluice.starter.cli;

import dev.sluice.workers.TemporalConnectionSettings;
import dev.sluice.workers.codec.AesGcmPayloadCodec;
import dev.sluice.workers.codec.PayloadEncryption;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.Optional;

/** A client connection to Temporal, closed with the command. */
public final class TemporalConnection implements AutoCloseable {
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final ConnectionOptions options;

  private TemporalConnection(
      WorkflowServiceStubs service, WorkflowClient client, ConnectionOptions options) {
    this.service = service;
    this.client = client;
    this.options = options;
  }

  /**
   * Connects and checks the server answers.
   *
   * @throws UnavailableException with a message saying how to start a server, when it does not
   * @throws IllegalArgumentException naming the problem, when {@code SLUICE_CODEC_KEY_ID} is set
   *     but the keys are not usable
   */
  public static TemporalConnection open(ConnectionOptions options) {
    // Read before connecting: a run started without the codec that the worker expects would be
    // unreadable to it (and the reverse), so a broken key setup stops here.
    Optional<AesGcmPayloadCodec> codec;
    try {
      codec = PayloadEncryption.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      // A settings problem (exit 2 through SluiceCli's handler), not an unreachable server.
      throw new IllegalArgumentException(
          "payload encryption is misconfigured: " + e.getMessage(), e);
    }
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            // TLS, mTLS and API key from TEMPORAL_TLS_* / TEMPORAL_API_KEY, as the worker does.
            TemporalConnectionSettings.fromEnvironment(System.getenv())
                .withAddress(options.address())
                .withNamespace(options.namespace())
                .serviceStubsOptions()
                .build());
    try {
      service.healthCheck();
      service.getServerCapabilities();
    } catch (StatusRuntimeException | IllegalStateException e) {
      service.shutdownNow();
      throw new UnavailableException(
          "cannot reach Temporal at "
              + options.address()
              + " ("
              + e.getMessage()
              + "). Start a local one with `sluice dev`, or point --address / TEMPORAL_ADDRESS at"
              + " yours.");
    }
    WorkflowClient client =
        WorkflowClient.newInstance(
            service,
            PayloadEncryption.configure(
                    WorkflowClientOptions.newBuilder().setNamespace(options.namespace()), codec)
                .build());
    return new TemporalConnection(service, client, options);
  }

  public WorkflowClient client() {
    return client;
  }

  public ConnectionOptions options() {
    return options;
  }

  @Override
  public void close() {
    service.shutdown();
    service.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Whether {@code e} says the workflow does not exist (the SDK and gRPC each have their way). */
  public static boolean isNotFound(RuntimeException e) {
    return e instanceof io.temporal.client.WorkflowNotFoundException
        || (e instanceof StatusRuntimeException s
            && s.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND);
  }

  /** Temporal is not reachable; the message says what to do. */
  public static final class UnavailableException extends RuntimeException {
    public UnavailableException(String message) {
      super(message);
    }
  }
}
