package dev.sluice.starter.spec;

import static dev.sluice.starter.spec.CheckContext.text;
import static dev.sluice.starter.spec.CheckContext.written;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.pipeline.PlatformBatchesSource;
import dev.sluice.starter.spec.Templates.Scope;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The checks of a {@code platform-batches} source and a {@code platform-batch} sink. */
final class PlatformChecks {
  private static final String OAUTH_S2S = "oauth-server-to-server";
  private static final Set<String> JWT = Set.of("jwt");
  private static final Set<String> CONNECTION_AUTH_TYPES = Set.of(OAUTH_S2S, "jwt");
  private static final Map<String, Set<String>> CONNECTION_KEYS =
      Map.of(
          "scope", Set.of(OAUTH_S2S),
          "technicalAccountId", JWT,
          "privateKey", JWT,
          "metascopes", JWT);
  private static final List<String> CONNECTION_TEMPLATES =
      List.of(
          "baseUrl",
          "tokenUrl",
          "clientId",
          "clientSecret",
          "scope",
          "technicalAccountId",
          "privateKey",
          "metascopes",
          "imsOrg",
          "sandboxName");

  /** Connection values that are secrets: only ever a reference, as in auth. */
  private static final List<String> CONNECTION_SECRETS = List.of("clientSecret", "privateKey");

  private static final String INCREMENTAL_READ = "incremental";
  private static final Set<String> READS = Set.of(INCREMENTAL_READ, "snapshot");
  // A snapshot reads one batch (the latest): there is nothing to order, parallelize or cap.
  private static final Map<String, Set<String>> READ_KEYS =
      Map.of(
          "processing", Set.of(INCREMENTAL_READ),
          "maxParallel", Set.of(INCREMENTAL_READ),
          "maxBatchesPerRun", Set.of(INCREMENTAL_READ));
  private static final Set<String> PROCESSINGS = Set.of("ordered", "parallel");
  private static final Map<String, Set<String>> PROCESSING_KEYS =
      Map.of("maxParallel", Set.of("parallel"));


  private final CheckContext ctx;

  PlatformChecks(CheckContext ctx) {
    this.ctx = ctx;
  }

  void platformBatchesSource(JsonNode source, String path, JsonNode root) {
    connection(source.path("connection"), DocPath.key(path, "connection"));
    datasetId(source, path);
    ctx.onlyFor(source, path, "read", INCREMENTAL_READ, READS, READ_KEYS);
    boolean snapshot = text(source, "read").filter("snapshot"::equals).isPresent();
    if (!snapshot) {
      ctx.onlyFor(source, path, "processing", "ordered", PROCESSINGS, PROCESSING_KEYS);
    }
    PlatformBatchesSource defaults = RecordDefaults.of(PlatformBatchesSource.class);
    Optional<Duration> timeout = ctx.positiveDuration(source, path, "settleTimeout");
    Optional<Duration> interval = ctx.positiveDuration(source, path, "settleInterval");
    Duration settleTimeout = timeout.orElse(defaults.settleTimeout());
    if ((timeout.isPresent() || !source.has("settleTimeout"))
        && (interval.isPresent() || !source.has("settleInterval"))
        && interval.orElse(defaults.settleInterval()).compareTo(settleTimeout) > 0) {
      ctx.problems.add(
          new Problem(
              DocPath.key(path, "settleInterval"),
              "must not be longer than settleTimeout ("
                  + written(source, "settleInterval", Durations.format(defaults.settleInterval()))
                  + " > "
                  + written(source, "settleTimeout", Durations.format(defaults.settleTimeout()))
                  + "), or the latest batch is checked only once"));
    }
    if (snapshot && text(root.path("sink"), "mode").filter("append"::equals).isPresent()) {
      // The workflow writes a snapshot read's table in snapshot mode whatever the sink says.
      ctx.problems.add(
          new Problem(
              "sink.mode",
              "a snapshot read replaces the table with the latest batch each run: remove 'mode'"
                  + " or set it to snapshot"));
    }
    JsonNode incremental = root.path("incremental");
    if (!incremental.isObject()) {
      return;
    }
    if (snapshot) {
      ctx.problems.add(
          new Problem(
              "incremental",
              "a snapshot read takes only the latest successful batch and replaces the table"
                  + " each run, so it keeps no watermark: remove this section"));
    } else {
      // The source's watermark is the last batch read; a column would suggest a filter on rows.
      ctx.problems.add(
          new Problem(
              incremental.has("column") ? "incremental.column" : "incremental",
              "a platform-batches source needs no watermark column: it always reads the batches"
                  + " created after the last one it read, whose created time and ID it keeps"
                  + " beside the table; remove the 'incremental' section"));
    }
  }

  void platformBatchSink(JsonNode sink, String path) {
    new TableChecks(ctx).table(sink, path);
    connection(sink.path("connection"), DocPath.key(path, "connection"));
    datasetId(sink, path);
    ctx.size(sink, path, "largeFileThreshold");
    ctx.size(sink, path, "chunkSize");
    PlatformBatchSink defaults = RecordDefaults.of(PlatformBatchSink.class);
    ctx.backoffCeiling(
        sink,
        path,
        "pollInterval",
        defaults.pollInterval(),
        "maxPollInterval",
        defaults.maxPollInterval());
    ctx.positiveDuration(sink, path, "timeout");
  }

  private void connection(JsonNode connection, String path) {
    for (String key : CONNECTION_TEMPLATES) {
      ctx.template(connection, path, key, Scope.CONNECTION);
    }
    for (String key : CONNECTION_SECRETS) {
      ctx.secretReference(connection, path, key);
    }
    ctx.url(connection, path, "baseUrl");
    ctx.url(connection, path, "tokenUrl");
    ctx.onlyFor(connection, path, "authType", OAUTH_S2S, CONNECTION_AUTH_TYPES, CONNECTION_KEYS);
    ctx.positiveDuration(connection, path, "refreshBefore");
  }

  /** A platform dataset ID is written as is: the activities send it without resolving anything. */
  private void datasetId(JsonNode parent, String parentPath) {
    Optional<String> id = text(parent, "datasetId").filter(s -> !s.isEmpty());
    if (id.isEmpty()) {
      return;
    }
    String path = DocPath.key(parentPath, "datasetId");
    if (id.get().contains("${")) {
      ctx.problems.add(
          new Problem(
              path,
              "placeholders are not supported in datasetId: write the dataset's ID as the"
                  + " Catalog lists it (sluice platform datasets)"));
    } else if (id.get().isBlank()) {
      ctx.problems.add(new Problem(path, "must not be blank"));
    }
  }

}
