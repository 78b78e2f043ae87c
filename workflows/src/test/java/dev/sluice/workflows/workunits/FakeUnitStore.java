package dev.sluice.workflows.workunits;

import dev.sluice.workflows.activities.RunKeys;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory unit store with the real one's planning rules (failed, then pending, then done units
 * that committed this window, then, with rerunDone, other done ones; capped at maxUnitsPerRun), so the workflow is tested against the contract
 * without a file system. The list is whatever the test sets.
 */
final class FakeUnitStore implements UnitStoreActivities {
  volatile List<String> list = List.of();
  final Map<String, UnitOutcome> states = new ConcurrentHashMap<>();
  final Map<String, List<String>> plans = new ConcurrentHashMap<>();
  final Map<String, List<String>> listed = new ConcurrentHashMap<>();
  final List<UnitOutcome> recorded = new CopyOnWriteArrayList<>();
  final List<PlanPageRequest> pageReads = new CopyOnWriteArrayList<>();

  /** The windows each unit's partition committed (unit → window keys). */
  final Map<String, Set<String>> committed = new ConcurrentHashMap<>();

  @Override
  public UnitPlan plan(PlanRequest request) {
    // As the real store: duplicates dropped, first occurrence wins.
    List<String> list = List.copyOf(new java.util.LinkedHashSet<>(this.list));
    List<String> failed = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    List<String> done = new ArrayList<>();
    for (String unit : list) {
      UnitOutcome state = states.get(unit);
      if (state == null) {
        pending.add(unit);
      } else if (state.status() == UnitStatus.FAILED) {
        failed.add(unit);
      } else {
        done.add(unit);
      }
    }
    List<String> order = new ArrayList<>(failed);
    order.addAll(pending);
    List<String> otherDone = new ArrayList<>();
    for (String unit : done) {
      if (committed.getOrDefault(unit, Set.of()).contains(request.windowKey())) {
        order.add(unit);
      } else {
        otherDone.add(unit);
      }
    }
    if (request.units().rerunDone()) {
      order.addAll(otherDone);
    }
    int max = request.units().maxUnitsPerRun();
    List<String> planned = max > 0 && order.size() > max ? order.subList(0, max) : order;
    plans.put(request.planUri(), List.copyOf(planned));
    listed.put(request.planUri(), List.copyOf(list));
    return new UnitPlan(
        request.planUri(), list.size(), done.size(), failed.size(), pending.size(), planned.size());
  }

  @Override
  public PlanPage readPlan(PlanPageRequest request) {
    pageReads.add(request);
    List<String> plan = plans.get(request.planUri());
    int end = Math.min(plan.size(), request.offset() + request.limit());
    return new PlanPage(List.copyOf(plan.subList(Math.min(request.offset(), end), end)));
  }

  @Override
  public UnitRecorded record(UnitOutcome outcome) {
    if (outcome.status() == UnitStatus.DONE) {
      // As a partition's range record: the unit's child committed the window it ran.
      String window = outcome.workflowId().substring(0, outcome.workflowId().lastIndexOf("/unit="));
      committed.computeIfAbsent(outcome.unit(), u -> ConcurrentHashMap.newKeySet())
          .add(RunKeys.of(window));
    }
    states.put(outcome.unit(), outcome);
    recorded.add(outcome);
    return new UnitRecorded("mem://" + outcome.unit(), 1);
  }

  @Override
  public UnitsSummary summarize(SummaryRequest request) {
    int done = 0;
    int failed = 0;
    int pending = 0;
    for (String unit : listed.get(request.planUri())) {
      UnitOutcome state = states.get(unit);
      if (state == null) {
        pending++;
      } else if (state.status() == UnitStatus.FAILED) {
        failed++;
      } else {
        done++;
      }
    }
    List<UnitReport> reports = new ArrayList<>();
    List<String> plan = plans.get(request.planUri());
    for (String unit : plan) {
      if (reports.size() == request.maxUnits()) {
        break;
      }
      UnitOutcome state = states.get(unit);
      reports.add(
          new UnitReport(
              unit,
              state == null ? UnitStatus.PENDING : state.status(),
              state == null ? 0 : state.rows(),
              state == null ? null : state.watermark(),
              state == null ? null : state.error(),
              UnitPaths.partition(request.table().path(), request.partition(), unit)));
    }
    return new UnitsSummary(
        listed.get(request.planUri()).size(),
        done,
        failed,
        pending,
        reports,
        plan.size() > reports.size(),
        UnitPaths.report(request.planUri()));
  }
}
