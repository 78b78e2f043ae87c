package dev.sluice.activities.platform;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.parquet.StagingLayout;
import dev.sluice.activities.parquet.TableFormats;
import dev.sluice.activities.http.ProviderActivities;
import dev.sluice.activities.http.ProviderClients;
import dev.sluice.pipeline.PlatformBatchesSource;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.PlatformSourceActivities;
import dev.sluice.workflows.activities.PlatformSourceMessages.ExtractBatchRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.ExtractBatchResult;
import dev.sluice.workflows.activities.PlatformSourceMessages.LastBatchRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.LastBatchResult;
import dev.sluice.workflows.activities.PlatformSourceMessages.ListBatchesRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.ListBatchesResult;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;

/**
 * {@link PlatformSourceActivities} over Adobe Experience Platform's Catalog and Data Access APIs
 * (and the sandbox's emulation of them). One instance per worker: it shares the worker's client,
 * JSON mapper, file systems and an IMS token cache between all sources.
 *
 * <p>Catalog listings: {@link CatalogBatches}. Reading a batch into staged Parquet: {@link
 * PlatformBatchReader}.
 */
public final class PlatformSourceActivitiesImpl extends ProviderActivities
    implements PlatformSourceActivities {
  /** Well inside the extract's heartbeat timeout (ActivityProfiles.LONG_TRANSFER: 2 minutes). */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(10);

  private final TableFormats formats;
  private final Duration keepAlive;

  /**
   * @param providers the worker's provider clients (client, mapper, secrets, meters, tokens)
   * @param files where extracted batches are staged
   * @param formats the worker's table formats: how a batch's files are laid out for the sink's
   *     table (field IDs and partition directories for an Iceberg table)
   */
  public PlatformSourceActivitiesImpl(
      ProviderClients providers, HadoopFiles files, TableFormats formats) {
    this(providers, files, formats, KEEP_ALIVE);
  }

  /** With the keep-alive interval given (tests). */
  PlatformSourceActivitiesImpl(
      ProviderClients providers, HadoopFiles files, TableFormats formats, Duration keepAlive) {
    super(providers, files);
    this.formats = formats;
    this.keepAlive = keepAlive;
  }

  @Override
  public LastBatchResult lastBatch(LastBatchRequest request) {
    PlatformBatchesSource source = requireSource(request.source());
    PlatformSession session = session(source);
    LastBatchResult latest =
        new CatalogBatches(session, source.pageSize()).latest(source.datasetId());
    if (latest.outcome() != null) {
      providers.metrics().poll(session.connection.baseUrl().host(), latest.outcome());
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
            session(source),
            files,
            providers.metrics(),
            providers.json().getFactory(),
            heartbeat::keepAlive,
            request.sink() == null
                ? StagingLayout.PLAIN
                : formats.of(request.sink()).staging(request.sink()));
    return reader.read(request, source.pageSize());
  }

  private PlatformSession session(PlatformBatchesSource source) {
    return new PlatformSession(source.connection(), providers);
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
