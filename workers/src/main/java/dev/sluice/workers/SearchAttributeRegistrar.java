package dev.sluice.workers;

import dev.sluice.workflows.common.SearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the Sluice search attributes ({@link SearchAttributes#CUSTOM}) on a namespace through
 * Temporal's OperatorService, and tells starters whether they are there.
 *
 * <p>What servers do: a self-hosted server registers them (one request per attribute, so a
 * namespace that has some already gets the rest); Temporal Cloud and locked-down servers refuse
 * ({@code PERMISSION_DENIED}): register them there with {@code tcld} or the UI. The Java test
 * server behind {@code sluice dev} accepts the registration but cannot list attributes ({@code
 * UNIMPLEMENTED}), so starters never rely on them there.
 */
public final class SearchAttributeRegistrar {
  private static final Logger log = LoggerFactory.getLogger(SearchAttributeRegistrar.class);

  private SearchAttributeRegistrar() {}

  /** What happened to one attribute. */
  public enum Outcome {
    /** Added by this call. */
    ADDED,
    /** The namespace had it already. */
    ALREADY_REGISTERED,
    /** The server refused (permission denied, or the operator API is not offered). */
    REFUSED
  }

  /**
   * Registers every Sluice attribute missing from {@code namespace}. Never throws for a server that
   * refuses: it logs what to do instead, since a worker without the attributes still runs pipelines
   * (starters then leave the attributes off).
   *
   * @return the outcome per attribute name, in {@link SearchAttributes#CUSTOM} order
   */
  public static Map<String, Outcome> register(WorkflowServiceStubs service, String namespace) {
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    OperatorServiceStubs operator = operatorStubs(service);
    try {
      for (Map.Entry<String, IndexedValueType> attribute : SearchAttributes.CUSTOM.entrySet()) {
        outcomes.put(attribute.getKey(), registerOne(operator, namespace, attribute));
      }
    } finally {
      close(operator);
    }
    if (outcomes.containsValue(Outcome.REFUSED)) {
      log.warn(
          "could not register search attributes {} on namespace '{}'; runs will not carry them"
              + " until they are registered (e.g. `temporal operator search-attribute create --name"
              + " SluicePipeline --type Keyword`, same for the others)",
          SearchAttributes.CUSTOM.keySet(),
          namespace);
    } else {
      log.info("search attributes on namespace '{}': {}", namespace, outcomes);
    }
    return outcomes;
  }

  private static Outcome registerOne(
      OperatorServiceStubs operator,
      String namespace,
      Map.Entry<String, IndexedValueType> attribute) {
    try {
      operator
          .blockingStub()
          .addSearchAttributes(
              AddSearchAttributesRequest.newBuilder()
                  .setNamespace(namespace)
                  .putSearchAttributes(attribute.getKey(), attribute.getValue())
                  .build());
      return Outcome.ADDED;
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code == Status.Code.ALREADY_EXISTS) {
        return Outcome.ALREADY_REGISTERED;
      }
      if (code == Status.Code.PERMISSION_DENIED
          || code == Status.Code.UNIMPLEMENTED
          || code == Status.Code.UNAUTHENTICATED) {
        log.debug("adding search attribute {} refused: {}", attribute.getKey(), e.getStatus());
        return Outcome.REFUSED;
      }
      // Anything else (the server is down, a bad namespace) is the caller's problem to see.
      throw e;
    }
  }

  /**
   * Whether every Sluice attribute is registered on {@code namespace} with its type: what a starter
   * asks before it sets them on a run. Empty when the server cannot say (the Java test server does
   * not implement the listing; a refused permission): treat that as no.
   */
  public static Optional<Boolean> registered(WorkflowServiceStubs service, String namespace) {
    OperatorServiceStubs operator = operatorStubs(service);
    try {
      ListSearchAttributesResponse listed =
          operator
              .blockingStub()
              .listSearchAttributes(
                  ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build());
      return Optional.of(containsAll(listed.getCustomAttributesMap()));
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code == Status.Code.UNIMPLEMENTED
          || code == Status.Code.PERMISSION_DENIED
          || code == Status.Code.UNAUTHENTICATED) {
        return Optional.empty();
      }
      throw e;
    } finally {
      close(operator);
    }
  }

  /**
   * Whether {@code custom} (name → type, as the server lists them) holds every Sluice attribute.
   */
  static boolean containsAll(Map<String, IndexedValueType> custom) {
    return SearchAttributes.CUSTOM.entrySet().stream()
        .allMatch(a -> a.getValue() == custom.get(a.getKey()));
  }

  /**
   * Operator stubs on their own channel with the same target, TLS and credentials: sharing the
   * workflow stubs' channel is refused by the SDK when TLS is configured on the options.
   */
  private static OperatorServiceStubs operatorStubs(WorkflowServiceStubs service) {
    return OperatorServiceStubs.newServiceStubs(
        OperatorServiceStubsOptions.newBuilder(service.getOptions())
            .validateAndBuildWithDefaults());
  }

  private static void close(OperatorServiceStubs operator) {
    operator.shutdown();
    try {
      operator.awaitTermination(2, TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      operator.shutdownNow();
    }
  }
}
