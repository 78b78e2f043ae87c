package dev.sluice.activities.units;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.ProviderActivities;
import dev.sluice.activities.http.ProviderClients;
import dev.sluice.activities.parquet.TableFormats;
import dev.sluice.pipeline.LakeTable;
import dev.sluice.pipeline.UnitsSpec;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.UnitMessages.PlanPage;
import dev.sluice.workflows.activities.UnitMessages.PlanPageRequest;
import dev.sluice.workflows.activities.UnitMessages.PlanRequest;
import dev.sluice.workflows.activities.UnitMessages.SummaryRequest;
import dev.sluice.workflows.activities.UnitMessages.UnitOutcome;
import dev.sluice.workflows.activities.UnitMessages.UnitPlan;
import dev.sluice.workflows.activities.UnitMessages.UnitRecorded;
import dev.sluice.workflows.activities.UnitMessages.UnitReport;
import dev.sluice.workflows.activities.UnitMessages.UnitStatus;
import dev.sluice.workflows.activities.UnitMessages.UnitsSummary;
import dev.sluice.workflows.activities.UnitStoreActivities;
import dev.sluice.workflows.workunits.UnitPaths;
import io.temporal.failure.ApplicationFailure;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@link UnitStoreActivities} over OkHttp (an HTTP unit list) and Hadoop's {@code FileSystem} (a
 * file list, and the store). State files are small JSON documents, one per unit, written atomically
 * ({@link HadoopFiles#writeStringAtomically}).
 */
public final class UnitStoreActivitiesImpl extends ProviderActivities implements UnitStoreActivities {
  private final TableFormats formats;

  /**
   * @param providers the worker's provider clients (client, mapper, secrets, meters, tokens)
   * @param files the unit list's and the store's file systems
   * @param formats the worker's table formats: where a unit's committed windows are recorded
   */
  public UnitStoreActivitiesImpl(
      ProviderClients providers, HadoopFiles files, TableFormats formats) {
    super(providers, files);
    this.formats = formats;
  }

  @Override
  public UnitPlan plan(PlanRequest request) {
    UnitsSpec units = request.units();
    List<String> listed =
        UnitsSpec.FROM_FILE.equals(units.from()) ? listFromFile(units) : listFromHttp(request);
    Map<String, JsonNode> states = readStates(request.table());
    List<String> failed = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    List<String> done = new ArrayList<>();
    for (String unit : listed) {
      switch (status(states.get(unit))) {
        case FAILED -> failed.add(unit);
        case DONE -> done.add(unit);
        default -> pending.add(unit);
      }
    }
    List<String> order = new ArrayList<>(failed);
    order.addAll(pending);
    // A run of a window re-reads what that window owns: its done units come again (each re-reads
    // exactly the range its partition recorded for the window). Other done units only on request.
    List<String> otherDone = new ArrayList<>();
    for (String unit : done) {
      if (committedThisWindow(request, unit)) {
        order.add(unit);
      } else {
        otherDone.add(unit);
      }
    }
    if (units.rerunDone()) {
      List<String> oldestFirst = new ArrayList<>(otherDone);
      // ISO instants of one format sort as text; a unit without a time sorts first.
      oldestFirst.sort(Comparator.comparing(u -> states.get(u).path("lastRunAt").asText("")));
      order.addAll(oldestFirst);
    }
    List<String> planned =
        units.maxUnitsPerRun() > 0 && order.size() > units.maxUnitsPerRun()
            ? order.subList(0, units.maxUnitsPerRun())
            : order;
    ObjectNode plan = providers.json().createObjectNode();
    ArrayNode listedJson = plan.putArray("listed");
    listed.forEach(listedJson::add);
    ArrayNode plannedJson = plan.putArray("planned");
    planned.forEach(plannedJson::add);
    files.writeStringAtomically(request.planUri(), plan.toString());
    return new UnitPlan(
        request.planUri(),
        listed.size(),
        done.size(),
        failed.size(),
        pending.size(),
        planned.size());
  }

  /** Whether {@code unit}'s share of the table recorded a range for the request's window. */
  private boolean committedThisWindow(PlanRequest request, String unit) {
    if (request.windowKey() == null) {
      return false;
    }
    String column = request.units().partition();
    LakeTable partition =
        request
            .table()
            .forUnit(column, unit, UnitPaths.partition(request.table().path(), column, unit));
    return formats.of(partition).range(partition, request.windowKey()).isPresent();
  }

  @Override
  public PlanPage readPlan(PlanPageRequest request) {
    JsonNode planned = readPlanFile(request.planUri()).path("planned");
    List<String> page = new ArrayList<>();
    int end = Math.min(planned.size(), request.offset() + Math.max(0, request.limit()));
    for (int i = Math.max(0, request.offset()); i < end; i++) {
      page.add(planned.get(i).asText());
    }
    return new PlanPage(page);
  }

  @Override
  public UnitRecorded record(UnitOutcome outcome) {
    String uri = UnitPaths.state(outcome.table(), outcome.unit());
    JsonNode earlier = files.readString(uri).map(this::parse).orElse(null);
    int attempts = (earlier == null ? 0 : earlier.path("attempts").asInt(0)) + 1;
    // A failed run or a re-run of a committed window leaves the partition's watermark where it was.
    String watermark =
        outcome.watermark() != null || earlier == null
            ? outcome.watermark()
            : text(earlier, "watermark");
    ObjectNode state = providers.json().createObjectNode();
    state.put("unit", outcome.unit());
    state.put("status", outcome.status().name().toLowerCase(Locale.ROOT));
    state.put("rows", outcome.rows());
    state.put("watermark", watermark);
    state.put("error", outcome.error());
    state.put("lastRun", outcome.workflowId());
    state.put("lastRunAt", outcome.at());
    state.put("attempts", attempts);
    files.writeStringAtomically(uri, state.toString());
    return new UnitRecorded(uri, attempts);
  }

  @Override
  public UnitsSummary summarize(SummaryRequest request) {
    JsonNode plan = readPlanFile(request.planUri());
    Map<String, JsonNode> states = readStates(request.table());
    int done = 0;
    int failed = 0;
    int pending = 0;
    for (JsonNode unit : plan.path("listed")) {
      switch (status(states.get(unit.asText()))) {
        case DONE -> done++;
        case FAILED -> failed++;
        default -> pending++;
      }
    }
    List<UnitReport> reports = new ArrayList<>();
    ArrayNode all = providers.json().createArrayNode();
    for (JsonNode value : plan.path("planned")) {
      String unit = value.asText();
      JsonNode state = states.get(unit);
      UnitReport report =
          new UnitReport(
              unit,
              status(state),
              state == null ? 0 : state.path("rows").asLong(0),
              state == null ? null : text(state, "watermark"),
              state == null ? null : text(state, "error"),
              UnitPaths.partition(request.table().path(), request.partition(), unit));
      all.add(providers.json().valueToTree(report));
      if (reports.size() < request.maxUnits()) {
        reports.add(report);
      }
    }
    String reportUri = UnitPaths.report(request.planUri());
    files.writeStringAtomically(reportUri, all.toString());
    return new UnitsSummary(
        plan.path("listed").size(),
        done,
        failed,
        pending,
        reports,
        plan.path("planned").size() > reports.size(),
        reportUri);
  }

  private List<String> listFromHttp(PlanRequest request) {
    UnitsSpec units = request.units();
    Request http = providers.renderer().render(units.request(), request.vars());
    String where = http.method() + " " + http.url().newBuilder().query(null).build();
    try (Response response =
        providers.connect(request.auth(), request.vars()).execute(http)) {
      String body = response.body() == null ? "" : response.body().string();
      return UnitList.fromJson(providers.json(), body, units, where);
    } catch (IOException e) {
      throw ApplicationFailure.newFailure(
          "reading the unit list from " + where + " failed: " + e.getMessage(),
          FailureType.HTTP_TRANSIENT.type());
    }
  }

  private List<String> listFromFile(UnitsSpec units) {
    String uri = units.uri();
    FileSystem fs = files.fs(uri);
    try (BufferedReader text =
        new BufferedReader(new InputStreamReader(fs.open(new Path(uri)), StandardCharsets.UTF_8))) {
      return "ndjson".equals(units.format())
          ? UnitList.fromJsonLines(providers.json(), text, units, uri)
          : UnitList.fromCsv(text, units, uri);
    } catch (FileNotFoundException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "units.uri: the unit list " + uri + " does not exist", FailureType.INVALID_PIPELINE.type());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the unit list " + uri + ": " + e.getMessage(), e);
    }
  }

  /** Every unit's state in the store, by unit value. */
  private Map<String, JsonNode> readStates(LakeTable table) {
    String dir = UnitPaths.store(table) + "/state";
    Map<String, JsonNode> states = new HashMap<>();
    FileSystem fs = files.fs(dir);
    FileStatus[] entries;
    try {
      entries = fs.listStatus(new Path(dir));
    } catch (FileNotFoundException e) {
      return states; // no unit has run yet
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    for (FileStatus entry : entries) {
      String name = entry.getPath().getName();
      // Skips the hidden temporary files of atomic writes.
      if (!entry.isFile() || !name.endsWith(".json") || name.startsWith(".")) {
        continue;
      }
      files
          .readString(entry.getPath().toString())
          .map(this::parse)
          .filter(state -> state.hasNonNull("unit"))
          .ifPresent(state -> states.put(state.get("unit").asText(), state));
    }
    return states;
  }

  private JsonNode readPlanFile(String uri) {
    return files
        .readString(uri)
        .map(this::parse)
        .orElseThrow(
            () ->
                ApplicationFailure.newNonRetryableFailure(
                    "the unit plan " + uri + " is gone", FailureType.STAGED_FILE_MISSING.type()));
  }

  private static UnitStatus status(JsonNode state) {
    if (state == null) {
      return UnitStatus.PENDING;
    }
    return switch (state.path("status").asText("")) {
      case "done" -> UnitStatus.DONE;
      case "failed" -> UnitStatus.FAILED;
      default -> UnitStatus.PENDING;
    };
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private JsonNode parse(String json) {
    try {
      return providers.json().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("a unit store file is not JSON: " + e.getMessage(), e);
    }
  }
}
