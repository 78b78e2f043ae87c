package dev.sluice.starter.cli;

import dev.sluice.workers.TemporalConnectionSettings;
import dev.sluice.workers.codec.AesGcmPayloadCodec;
import dev.sluice.workers.codec.PayloadEncryption;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.PrintWriter;
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
    Optional<AesGcmPayloadCodec> codec = codec();
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

  /**
   * The payload codec {@code SLUICE_CODEC_KEY_ID} configures, if any.
   *
   * @throws IllegalArgumentException naming the problem, when it is set but the keys are not usable
   */
  static Optional<AesGcmPayloadCodec> codec() {
    try {
      return PayloadEncryption.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      // A settings problem (exit 2 through SluiceCli's handler), not an unreachable server.
      throw new IllegalArgumentException(
          "payload encryption is misconfigured: " + e.getMessage(), e);
    }
  }

  /**
   * The data converter of the clients {@link #open} builds with {@code codec}: what turns a run's
   * input into the payloads the server receives.
   */
  static DataConverter dataConverter(Optional<AesGcmPayloadCodec> codec) {
    // With the defaults the client itself fills in: Temporal's global converter, when no codec.
    return PayloadEncryption.configure(WorkflowClientOptions.newBuilder(), codec)
        .validateAndBuildWithDefaults()
        .getDataConverter();
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

  /** A command body given the open connection; it returns the command's exit code. */
  @FunctionalInterface
  public interface Call<E extends Exception> {
    int run(TemporalConnection temporal) throws E;
  }

  /** A command body given the open connection and a stub of one workflow. */
  @FunctionalInterface
  public interface RunCall<E extends Exception> {
    int run(TemporalConnection temporal, WorkflowStub run) throws E;
  }

  /**
   * Connects, runs {@code call} and closes the connection; a server that does not answer is one
   * line on {@code err} and {@link ExitCodes#UNAVAILABLE}.
   */
  public static <E extends Exception> int call(
      ConnectionOptions options, PrintWriter err, Call<E> call) throws E {
    try (TemporalConnection temporal = open(options)) {
      return call.run(temporal);
    } catch (UnavailableException e) {
      err.println(e.getMessage());
      return ExitCodes.UNAVAILABLE;
    }
  }

  /**
   * {@link #call} on the workflow {@code workflowId}: when the server has no such workflow, {@code
   * notFound} on {@code err} and {@link ExitCodes#UNAVAILABLE}.
   */
  public static <E extends Exception> int callRun(
      ConnectionOptions options,
      PrintWriter err,
      String workflowId,
      String notFound,
      RunCall<E> call)
      throws E {
    return call(
        options,
        err,
        temporal -> {
          try {
            return call.run(temporal, temporal.client().newUntypedWorkflowStub(workflowId));
          } catch (WorkflowNotFoundException | StatusRuntimeException e) {
            if (!isNotFound(e)) {
              throw e;
            }
            err.println(notFound);
            return ExitCodes.UNAVAILABLE;
          }
        });
  }

  /** Whether {@code e} says the workflow does not exist (the SDK and gRPC each have their way). */
  public static boolean isNotFound(RuntimeException e) {
    return e instanceof WorkflowNotFoundException
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
