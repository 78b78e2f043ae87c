package dev.sluice.activities.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.auth.TokenCache;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.HttpMetrics;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.PlatformBatchesSource;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.PlatformSourceActivities;
import dev.sluice.workflows.activities.PlatformSourceMessages.ExtractBatchRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.ExtractBatchResult;
import dev.sluice.workflows.activities.PlatformSourceMessages.LastBatchRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.LastBatchResult;
import dev.sluice.workflows.activities.PlatformSourceMessages.ListBatchesRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.ListBatchesResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import okhttp3.OkHttpClient;

/**
 * {@link PlatformSourceActivities} over Adobe Experience Platform's Catalog and Data Access APIs
 * (and the sandbox's emulation of them). One instance per worker: it shares the worker's client,
 * JSON mapper, file systems and an IMS token cache between all sources.
 *
 * <p>Catalog listings: {@link CatalogBatches}. Reading a batch into staged Parquet: {@link
 * PlatformBatchReader}.
 */
public final class PlatformSourceActivitiesImpl implements PlatformSourceActivities {
  /** Well inside the extract's heartbeat timeout (ActivityProfiles.LONG_TRANSFER: 2 minutes). */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(10);

  private final OkHttpClient client;
  private final ObjectMapper mapper;
  private final HadoopFiles files;
  private final SecretResolver secrets;
  private final HttpMetrics metrics;
  private final TokenCache tokens;
  private final Clock clock;
  private final Duration keepAlive;

  /**
   * @param client the worker's HTTP client
   * @param mapper the worker's JSON mapper
   * @param files the staging directories' file systems
   * @param secrets resolves the connection's secret references
   * @param registry where platform responses, status checks and rows are counted
   */
  public PlatformSourceActivitiesImpl(
      OkHttpClient client,
      ObjectMapper mapper,
      HadoopFiles files,
      SecretResolver secrets,
      MeterRegistry registry) {
    this(client, mapper, files, secrets, registry, Clock.systemUTC(), KEEP_ALIVE);
  }

  PlatformSourceActivitiesImpl(
      OkHttpClient client,
      ObjectMapper mapper,
      HadoopFiles files,
      SecretResolver secrets,
      MeterRegistry registry,
      Clock clock,
      Duration keepAlive) {
    this.client = client;
    this.mapper = mapper;
    this.files = files;
    this.secrets = secrets;
    this.metrics = new HttpMetrics(registry);
    this.tokens = new TokenCache(clock);
    this.clock = clock;
    this.keepAlive = keepAlive;
  }

  /** {@inheritDoc} Classified as {@link CatalogBatches#classify(String)} says. */
  @Override
  public LastBatchResult lastBatch(LastBatchRequest request) {
    PlatformBatchesSource source = requireSource(request.source());
    PlatformSession session = session(source);
    LastBatchResult latest =
        new CatalogBatches(session, source.pageSize()).latest(source.datasetId());
    if (latest.outcome() != null) {
      metrics.poll(session.connection.baseUrl().host(), latest.outcome());
    }
    return latest;
  }

  /**
   * {@inheritDoc} Every page is read (the Catalog's {@code start}/{@code limit}, {@code
   * source.pageSize()} per page, at most 100) unless the platform's ascending order shows that no
   * later page can hold a batch among the first {@code limit}.
   */
  @Override
  public ListBatchesResult listBatches(ListBatchesRequest request) {
    PlatformBatchesSource source = requireSource(request.source());
    return new CatalogBatches(session(source), source.pageSize()).list(request);
  }

  /** {@inheritDoc} See {@link PlatformBatchReader} for names, retries and formats. */
  @Override
  public ExtractBatchResult extractBatch(ExtractBatchRequest request) {
    PlatformBatchesSource source = requireSource(request.source());
    if (request.batchId() == null || request.batchId().isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "extractBatch needs a batch ID", FailureType.INVALID_PIPELINE.type());
    }
    ThrottledHeartbeat heartbeat =
        new ThrottledHeartbeat(Activity.getExecutionContext(), keepAlive);
    PlatformBatchReader reader =
        new PlatformBatchReader(
            session(source), files, metrics, mapper.getFactory(), heartbeat::keepAlive);
    return reader.read(request, source.pageSize());
  }

  private PlatformSession session(PlatformBatchesSource source) {
    return new PlatformSession(
        source.connection(), client, mapper, secrets, tokens, metrics, clock);
  }

  private static PlatformBatchesSource requireSource(PlatformBatchesSource source) {
    if (source == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the platform-batches source is missing", FailureType.INVALID_PIPELINE.type());
    }
    if (source.datasetId() == null || source.datasetId().isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the platform-batches source needs a datasetId", FailureType.INVALID_PIPELINE.type());
    }
    return source;
  }
}
