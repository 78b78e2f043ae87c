package dev.sluice.workflows.common;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.PipelineSpec;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The search attributes Sluice runs carry, so the Web UI and {@code sluice list} can find runs by
 * pipeline, kind, stage and provider. Custom attributes must be registered on the namespace before
 * a workflow may carry them (a start or upsert naming an unknown attribute is rejected): workers
 * register them at start where the server allows it, and starters set them only after checking.
 */
public final class SearchAttributes {
  private SearchAttributes() {}

  /** The pipeline's name. */
  public static final SearchAttributeKey<String> PIPELINE =
      SearchAttributeKey.forKeyword("SluicePipeline");

  /** The pipeline kind, e.g. {@value #KIND_ASYNC_INGEST}. */
  public static final SearchAttributeKey<String> KIND = SearchAttributeKey.forKeyword("SluiceKind");

  /** The run's current stage, a {@code Progress.Stage} name; upserted by the workflow. */
  public static final SearchAttributeKey<String> STAGE =
      SearchAttributeKey.forKeyword("SluiceStage");

  /** The provider's host, from the source's submit URL; absent when the host is a template. */
  public static final SearchAttributeKey<String> PROVIDER =
      SearchAttributeKey.forKeyword("SluiceProvider");

  /** The run's window: its logical date as the run resolved it; upserted by the workflow. */
  public static final SearchAttributeKey<String> WINDOW =
      SearchAttributeKey.forKeyword("SluiceWindow");

  /** The provider's ID of the run's job, once submitted; upserted by the workflow. */
  public static final SearchAttributeKey<String> PROVIDER_JOB_ID =
      SearchAttributeKey.forKeyword("SluiceProviderJobId");

  /**
   * Temporal's own attribute on workflows a Schedule starts: the time the action was scheduled for
   * (before jitter), which a scheduled run takes as its logical date. Built into real servers; the
   * Java test server does not know it.
   */
  public static final SearchAttributeKey<java.time.OffsetDateTime> SCHEDULED_START_TIME =
      SearchAttributeKey.forOffsetDateTime("TemporalScheduledStartTime");

  /** {@link #KIND} of {@code AsyncIngestWorkflow} runs. */
  public static final String KIND_ASYNC_INGEST = "async-ingest";

  /** {@link #KIND} of {@code PlatformIngestWorkflow} runs. */
  public static final String KIND_PLATFORM_INGEST = "platform-ingest";

  /** {@link #KIND} of {@code FileDownloadWorkflow} runs. */
  public static final String KIND_FILE_DOWNLOAD = "file-download";

  /** {@link #KIND} of {@code ReplayWorkflow} runs. */
  public static final String KIND_REPLAY = "replay";

  /** Every custom attribute with its type, in registration order. */
  public static final Map<String, IndexedValueType> CUSTOM = custom();

  private static Map<String, IndexedValueType> custom() {
    Map<String, IndexedValueType> all = new LinkedHashMap<>();
    for (SearchAttributeKey<?> key :
        new SearchAttributeKey<?>[] {PIPELINE, KIND, STAGE, PROVIDER, WINDOW, PROVIDER_JOB_ID}) {
      all.put(key.getName(), key.getValueType());
    }
    return java.util.Collections.unmodifiableMap(all);
  }

  /**
   * The attributes a run of {@code spec} starts with: pipeline, kind and, when the submit URL names
   * a literal host, provider. The stage is left to the workflow.
   */
  public static io.temporal.common.SearchAttributes atStart(PipelineSpec spec) {
    io.temporal.common.SearchAttributes.Builder attributes =
        io.temporal.common.SearchAttributes.newBuilder()
            .set(PIPELINE, spec.name())
            .set(
                KIND,
                spec.source() instanceof dev.sluice.pipeline.PlatformBatchesSource
                    ? KIND_PLATFORM_INGEST
                    : spec.source() instanceof dev.sluice.pipeline.FilesSource
                        ? KIND_FILE_DOWNLOAD
                        : KIND_ASYNC_INGEST);
    String host = providerHost(spec);
    if (host != null) {
      attributes.set(PROVIDER, host);
    }
    return attributes.build();
  }

  /**
   * The host of the source's submit URL (or a platform source's base URL), lower case; null when
   * unknown or a template.
   */
  public static String providerHost(PipelineSpec spec) {
    if (spec.source() instanceof dev.sluice.pipeline.PlatformBatchesSource platform) {
      return platform.connection() == null ? null : host(platform.connection().baseUrl());
    }
    if (spec.source() instanceof dev.sluice.pipeline.FilesSource files) {
      return files.listing() == null ? null : host(files.listing().url());
    }
    if (!(spec.source() instanceof AsyncHttpSource source) || source.submit() == null) {
      return null;
    }
    return host(source.submit().url());
  }

  /**
   * The host part of {@code url}, lower case, without user info or port; null when there is none or
   * it is not literal ({@code ${env:BASE_URL}/x}: only a worker knows it). Plain string work, no
   * {@code java.net}: workflow code calls it too.
   */
  public static String host(String url) {
    if (url == null) {
      return null;
    }
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return null;
    }
    String rest = url.substring(scheme + 3);
    int end = rest.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int at = rest.indexOf(c);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    String authority = rest.substring(0, end);
    if (authority.contains("$") || authority.contains("{")) {
      return null;
    }
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      authority = close > 0 ? authority.substring(0, close + 1) : authority;
    } else if (authority.indexOf(':') >= 0) {
      authority = authority.substring(0, authority.indexOf(':'));
    }
    return authority.isEmpty() ? null : authority.toLowerCase(Locale.ROOT);
  }
}
