package dev.sluice.activities.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.activities.formats.PageParsers;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.parquet.InvalidSinkException;
import dev.sluice.activities.parquet.ParquetStagingWriter;
import dev.sluice.activities.parquet.TableFormats;
import dev.sluice.activities.parquet.WatermarkRange;
import dev.sluice.pipeline.AnswerValues;
import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.TemplateVariables;
import dev.sluice.pipeline.ExtractSpec;
import dev.sluice.pipeline.RequestIdSpec;
import dev.sluice.pipeline.RequestSpec;
import dev.sluice.pipeline.ResultSpec;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.HttpJobActivities;
import dev.sluice.workflows.activities.ServerPolls;
import dev.sluice.workflows.activities.Messages.CleanupRequest;
import dev.sluice.workflows.activities.Messages.CleanupResult;
import dev.sluice.workflows.activities.Messages.ExtractRequest;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.Messages.ReceiptRequest;
import dev.sluice.workflows.activities.Messages.ReceiptResult;
import dev.sluice.workflows.activities.Messages.StatusRequest;
import dev.sluice.workflows.activities.Messages.StatusResult;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import dev.sluice.workflows.activities.Messages.SubmitResult;
import dev.sluice.workflows.activities.PartMessages.PartRequest;
import dev.sluice.workflows.activities.PartMessages.Plan;
import dev.sluice.workflows.activities.PartMessages.PlanRequest;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HttpJobActivities} over OkHttp. One instance per worker: it shares the worker's client,
 * JSON mapper and OAuth2 token cache between all sources.
 */
public final class HttpJobActivitiesImpl extends ProviderActivities implements HttpJobActivities {
  private static final Logger log = LoggerFactory.getLogger(HttpJobActivitiesImpl.class);

  /**
   * How often an extract hands Temporal a heartbeat, also while a page is in flight (its watchdog
   * does). The SDK sends at most one per throttle interval (the worker caps it at a few seconds),
   * and the answer says whether the run was cancelled; the watchdog looks at that answer every
   * second and cuts the page request in flight.
   */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(5);

  /** Answers to abort/delete meaning the job is already final or gone: nothing left to clean. */
  private static final Set<Integer> ALREADY_FINAL = Set.of(400, 404, 409);

  private final RequestIdLocator requestIds;
  private final StatusClassifier statuses;
  private final AnswerReader answers;
  private final TableFormats formats;

  /** For Parquet tables only; see below. */
  public HttpJobActivitiesImpl(ProviderClients providers, HadoopFiles files) {
    this(providers, files, TableFormats.parquet(files, providers.clock()));
  }

  /**
   * @param providers the worker's provider clients (client, mapper, secrets, meters, tokens):
   *     HTTP responses, status checks, extracted rows and written Parquet are counted in its
   *     registry ({@link HttpMetrics})
   * @param files reads and writes submit receipts; used by the staging writer
   * @param formats the worker's table formats: how the staging writer lays out a table's files
   */
  public HttpJobActivitiesImpl(
      ProviderClients providers, HadoopFiles files, TableFormats formats) {
    super(providers, files);
    this.formats = formats;
    this.requestIds = new RequestIdLocator(providers.json());
    this.statuses = new StatusClassifier(providers.json());
    this.answers = new AnswerReader(providers.json());
  }

  /**
   * Type of the failure of a submit attempt that finds its run's receipt closed ({@link
   * SubmitReceipt#closed}): the run gave up on the submit, so the attempt sends nothing, or aborts
   * the job it has just been answered. Non-retryable: no later attempt may submit either.
   */
  static final String SUBMIT_ABANDONED = "SubmitAbandoned";

  /**
   * {@inheritDoc}
   *
   * <p>The receipt is created once, by whoever comes first: this attempt with the job the
   * provider named, an earlier or concurrent attempt with its own, or the run that gave up on the
   * submit ({@link #submitted}) with a closed receipt. An attempt that finds the receipt closed
   * before it sends, sends nothing; one that finds it closed after the provider answered aborts
   * that job (the run's clean-up never learns of it). One that finds another attempt's job there
   * aborts its own twin, unless the provider gave both the same ID, and uses that job.
   */
  @Override
  public SubmitResult submit(SubmitRequest request) {
    String uri = request.receiptUri();
    Optional<SubmitReceipt> earlier = readReceipt(uri);
    if (earlier.isPresent()) {
      if (earlier.get().closed()) {
        throw ApplicationFailure.newNonRetryableFailure(
            "submit not sent: " + closedBy(uri, earlier.get()), SUBMIT_ABANDONED);
      }
      log.info(
          "reusing request {} submitted at {}",
          earlier.get().requestId(),
          earlier.get().submittedAt());
      return new SubmitResult(earlier.get().requestId(), true, earlier.get().values());
    }
    AsyncHttpSource source = request.source();
    RequestIdSpec where =
        source.submit().requestId() == null
            ? new RequestIdSpec(null, null, null, null)
            : source.submit().requestId();
    String requestId;
    Map<String, String> values = null;
    Request call = providers.renderer().render(source.submit().request(), request.vars());
    try (Response response =
        http(source, providers.metrics().forPipeline(request.vars())).execute(call)) {
      String body = bodyOf(response);
      requestId = requestIds.locate(where, response::header, body);
      List<String> pointers =
          AnswerValues.pointers(AnswerValues.SUBMIT, AnswerValues.afterSubmit(source));
      if (!pointers.isEmpty()) {
        String what = "the submit answer (" + HttpFailures.describe(call) + ")";
        values = answers.values(answers.parse(body, what), pointers, what);
      }
    }
    // Created before returning: a worker dying after this point leaves a receipt, not a twin job.
    SubmitReceipt mine =
        new SubmitReceipt(requestId, providers.clock().instant().toString(), values);
    files.createIfAbsent(uri, json(uri, mine));
    // Read back whatever the create did: on an object store two creates can both "succeed", and
    // the receipt that stays is the one that counts.
    SubmitReceipt held = readReceipt(uri).orElse(mine);
    SubmitResult own = new SubmitResult(requestId, false, values);
    if (requestId.equals(held.requestId())) {
      return own;
    }
    String abortError = abortOwn(request, own);
    if (held.closed()) {
      String why = closedBy(uri, held);
      if (abortError != null) {
        throw ApplicationFailure.newNonRetryableFailure(
            "provider job "
                + requestId
                + " is left running: the provider accepted it after "
                + why
                + ", and its abort failed: "
                + abortError,
            SUBMIT_ABANDONED);
      }
      throw ApplicationFailure.newNonRetryableFailure(
          "provider job " + requestId + " aborted: the provider accepted it after " + why,
          SUBMIT_ABANDONED);
    }
    // Another attempt of this submit (one that timed out and ran on, or its retry) was answered
    // too, and its receipt came first: that job is the run's, this one a twin. The run goes on
    // with the receipt's job either way; a twin the abort could not stop is only logged.
    if (abortError != null) {
      log.error(
          "twin provider job {} is left running: submit receipt {} already names job {} of"
              + " another attempt, and the abort of this one failed: {}",
          requestId,
          uri,
          held.requestId(),
          abortError);
    } else {
      log.warn(
          "aborted twin provider job {}: submit receipt {} already names job {} of another"
              + " attempt",
          requestId,
          uri,
          held.requestId());
    }
    return new SubmitResult(held.requestId(), true, held.values());
  }

  /**
   * Sends the abort the run's clean-up would send for {@code own}, the job this attempt submitted;
   * returns what went wrong, or null. Never throws.
   */
  private String abortOwn(SubmitRequest request, SubmitResult own) {
    AsyncHttpSource source = request.source();
    if (source.cleanup() == null || source.cleanup().abort() == null) {
      return "the source has no cleanup.abort";
    }
    // The variables of the run's clean-up (AsyncRun.vars): the submit's, the request ID and the
    // submit answer's values.
    Map<String, String> vars = new java.util.HashMap<>(request.vars());
    vars.put(TemplateVariables.REQUEST_ID, own.requestId());
    if (own.values() != null) {
      own.values().forEach((pointer, value) -> vars.put(AnswerValues.SUBMIT + pointer, value));
    }
    try {
      abort(new CleanupRequest(source, vars));
      return null;
    } catch (RuntimeException e) {
      log.error("abort of provider job {} failed", own.requestId(), e);
      return e instanceof ApplicationFailure a ? a.getOriginalMessage() : String.valueOf(e);
    }
  }

  private static String closedBy(String uri, SubmitReceipt closed) {
    return "run "
        + closed.abandonedBy()
        + " gave up on this submit at "
        + closed.abandonedAt()
        + " (its submit receipt "
        + uri
        + " is closed)";
  }

  /**
   * Type of the failure {@link #submitted} raises for a receipt that is not a receipt's JSON:
   * non-retryable where it arises (the file will not mend), so not one of {@code FailureType}'s.
   */
  static final String RECEIPT_INVALID = "SubmitReceiptInvalid";

  /**
   * {@inheritDoc}
   *
   * <p>Finding no receipt, closes it: creates a closed receipt naming the calling run, unless an
   * attempt's receipt came first, which is then returned. A submit attempt still running finds it
   * closed and aborts what the provider answers it ({@link #submit}). Asking again is harmless: a
   * closed receipt answers as no receipt.
   */
  @Override
  public ReceiptResult submitted(ReceiptRequest request) {
    String uri = request.receiptUri();
    Optional<String> json = files.readString(uri); // an I/O error stays retryable
    if (json.isEmpty()) {
      ActivityInfo info = Activity.getExecutionContext().getInfo();
      SubmitReceipt closed =
          SubmitReceipt.abandoned(
              info.getWorkflowId() + "/" + info.getRunId(),
              providers.clock().instant().toString());
      files.createIfAbsent(uri, json(uri, closed));
      // Read back: an attempt's receipt may have come first (or, on an object store, after).
      json = Optional.of(files.readString(uri).orElse(json(uri, closed)));
    }
    SubmitReceipt receipt;
    try {
      receipt = providers.json().readValue(json.get(), SubmitReceipt.class);
    } catch (JsonProcessingException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "submit receipt " + uri + " is not valid JSON: " + e.getOriginalMessage(),
          RECEIPT_INVALID,
          e);
    }
    if (receipt != null && receipt.closed()) {
      log.info("submit receipt {} closed: {}", uri, closedBy(uri, receipt));
      return new ReceiptResult(null, null);
    }
    if (receipt == null || receipt.requestId() == null || receipt.requestId().isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "submit receipt " + uri + " names no request ID", RECEIPT_INVALID);
    }
    return new ReceiptResult(receipt.requestId(), receipt.values());
  }

  @Override
  public StatusResult checkStatus(StatusRequest request) {
    return checkStatus(request, null);
  }

  /**
   * {@inheritDoc} A pending answer's {@code Retry-After} (some providers send one with a 200 or
   * 202 while the job runs) sets the delay of the next check.
   */
  @Override
  public ServerPolls.Final checkUntilFinal(StatusRequest request) {
    String[] retryAfter = new String[1];
    StatusResult status = checkStatus(request, retryAfter);
    return ServerPolls.settle(
        status,
        request.vars().get(TemplateVariables.REQUEST_ID),
        HttpFailures.retryAfter(retryAfter[0], providers.clock()).orElse(null));
  }

  /** One status check; puts the answer's {@code Retry-After} into {@code retryAfter} if given. */
  private StatusResult checkStatus(StatusRequest request, String[] retryAfter) {
    AsyncHttpSource source = request.source();
    HttpMetrics pipelineMetrics = providers.metrics().forPipeline(request.vars());
    Request call = providers.renderer().render(source.status().request(), request.vars());
    try (Response response = http(source, pipelineMetrics).execute(call)) {
      if (retryAfter != null) {
        retryAfter[0] = response.header("Retry-After");
      }
      StatusResult status = statuses.classify(source.status(), source.split(), bodyOf(response));
      pipelineMetrics.poll(call.url().host(), status.outcome());
      return status;
    }
  }

  @Override
  public ExtractResult extract(ExtractRequest request) {
    return extract(request, ResultLocator.WHOLE);
  }

  @Override
  public Plan planParts(PlanRequest request) {
    ExtractRequest extract = request.extract();
    return new Plan(locator(extract, providers.metrics().forPipeline(extract.vars())).parts());
  }

  @Override
  public ExtractResult extractPart(PartRequest request) {
    if (request.part() < 0) {
      throw new IllegalArgumentException("a part is 0 or more: " + request.part());
    }
    return extract(request.extract(), request.part());
  }

  /**
   * Extracts part {@code part} of the result into files {@code part-<part>-…} of the staging, or
   * all of it ({@link ResultLocator#WHOLE}) into {@code part-<runKey>-…}.
   */
  private ExtractResult extract(ExtractRequest request, int part) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    ExtractSpec spec = request.source().extract();
    Pagination pagination = Pagination.of(spec.pagination());
    HttpMetrics pipelineMetrics = providers.metrics().forPipeline(request.vars());
    ResultLocator locator = locator(request, pipelineMetrics);
    ProviderHttp http = locator.http();
    ResultLocator.Located located = locator.locate(part);
    ExtractPlan plan =
        ExtractPlan.of(
                located.firstPage(),
                pagination,
                PageParsers.forFormat(
                    spec.format(),
                    request.sink(),
                    providers.json().getFactory(),
                    pagination.bodyPointers()),
                located.compression())
            .withPageTimeout(spec.pageTimeout())
            .withCheckpointInterval(spec.checkpointInterval())
            .withMaxPages(spec.pagination().maxPages());
    if (spec.result() instanceof ResultSpec.Named) {
      plan = plan.withRefresh(locator.refresh(part, located));
    }
    PagedExtractor extractor = new PagedExtractor(http, pipelineMetrics, plan, providers.clock());
    ExtractCheckpoint from =
        context.getHeartbeatDetails(ExtractCheckpoint.class).orElseGet(extractor::start);
    if (from.pages() > 0) {
      log.info(
          "resuming extraction of {}{} at page {} ({} rows in {} staged files)",
          request.runKey(),
          part == ResultLocator.WHOLE ? "" : " part " + part,
          from.pages() + 1,
          from.writer() == null ? 0 : from.writer().rows(),
          from.writer() == null ? 0 : from.writer().files().size());
    }
    PageWriter writer = new ParquetPageWriter(stagingWriter(request, part, from));
    // Each checkpoint marks completed files: count their Parquet as it lands, not only at the end.
    HttpMetrics.WrittenFiles written = pipelineMetrics.written(from.writer());
    ExtractResult result =
        extractor.run(
            writer,
            from,
            new CheckpointHeartbeat(
                checkpoint -> {
                  written.observe(checkpoint.writer());
                  context.heartbeat(checkpoint);
                },
                () -> context.getCancellationToken().throwIfCancellationRequested(),
                providers.clock(),
                KEEP_ALIVE,
                from));
    written.observe(result.rows(), result.bytes());
    return result;
  }

  /** The source's result locator, sending with the auth {@code extract.result} allows. */
  private ResultLocator locator(ExtractRequest request, HttpMetrics pipelineMetrics) {
    ScopedAuthenticator auth =
        new ScopedAuthenticator(
            providers.authenticator(request.source().auth()),
            request.source().extract().result().authorization(),
            providers.renderer().url(request.source().status().url(), request.vars()));
    ProviderHttp http =
        new ProviderHttp(
            providers.http().newBuilder().addNetworkInterceptor(auth.redirectGuard()).build(),
            auth,
            pipelineMetrics,
            providers.clock());
    return new ResultLocator(
        request.source(), request.vars(), http, auth, providers.renderer(), answers);
  }

  private ParquetStagingWriter stagingWriter(
      ExtractRequest request, int part, ExtractCheckpoint from) {
    try {
      return new ParquetStagingWriter(
          files,
          request.sink(),
          request.stagingUri(),
          // part-00003-<runKey>-…: a part tried again overwrites only its own files.
          part == ResultLocator.WHOLE
              ? request.runKey()
              : String.format("%05d-%s", part, request.runKey()),
          request.watermarkColumn(),
          new WatermarkRange(request.watermarkFrom(), request.watermarkTo()),
          from.writer(),
          formats.of(request.sink()).staging(request.sink()));
    } catch (InvalidSinkException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          e.getMessage(), FailureType.INVALID_PIPELINE.type(), e);
    }
  }

  @Override
  public CleanupResult abort(CleanupRequest request) {
    return cleanup("abort", request.source().cleanup().abort(), request);
  }

  @Override
  public CleanupResult delete(CleanupRequest request) {
    return cleanup("delete", request.source().cleanup().delete(), request);
  }

  private CleanupResult cleanup(String action, RequestSpec spec, CleanupRequest request) {
    if (spec == null) {
      return new CleanupResult(false, 0);
    }
    Request call = providers.renderer().render(spec, request.vars());
    try (Response response =
        http(request.source(), providers.metrics().forPipeline(request.vars()))
            .execute(call, ALREADY_FINAL::contains)) {
      if (!response.isSuccessful()) {
        log.info(
            "{} {} answered HTTP {}: the provider job is already final or gone",
            action,
            HttpFailures.describe(call),
            response.code());
      }
      return new CleanupResult(true, response.code());
    }
  }

  private ProviderHttp http(AsyncHttpSource source, HttpMetrics pipelineMetrics) {
    return new ProviderHttp(
        providers.http(),
        providers.authenticator(source.auth()),
        pipelineMetrics,
        providers.clock());
  }

  private static String bodyOf(Response response) {
    try {
      return response.body() == null ? "" : response.body().string();
    } catch (IOException e) {
      throw HttpFailures.forIo(response.request(), e);
    }
  }

  private Optional<SubmitReceipt> readReceipt(String uri) {
    return files
        .readString(uri)
        .map(
            json -> {
              try {
                return providers.json().readValue(json, SubmitReceipt.class);
              } catch (JsonProcessingException e) {
                throw new UncheckedIOException("submit receipt " + uri + " is not valid JSON", e);
              }
            });
  }

  private String json(String uri, SubmitReceipt receipt) {
    try {
      return providers.json().writeValueAsString(receipt);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialise submit receipt for " + uri, e);
    }
  }
}
