package dev.sluice.workflows.batchwindow;

import dev.sluice.workflows.common.WorkflowIds;
import dev.sluice.workflows.histories.Histories;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.pipeline.ParquetSink;
import dev.sluice.workflows.batchwindow.WindowJournal.ActionOutcome;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Window logic with time skipping and scripted files, table, webhook and journal store. */
class BatchWindowWorkflowTest {
  private static final String QUEUE = "windows";
  private static final String TABLE = "file:///lake/orders";
  private static final String LANDING = "file:///landing/orders/";

  private TestWorkflowEnvironment env;
  private FakeWindowSystems fake;
  private WorkflowClient client;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(BatchWindowWorkflowImpl.class);
    fake = new FakeWindowSystems();
    worker.registerActivitiesImplementations(fake);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  static Route route(List<WindowAction> onSuccess, WindowAction onFailure, Integer maxFiles) {
    return new Route(
        "orders",
        new RouteMatch(LANDING, ".csv", null),
        Duration.ofSeconds(30),
        null,
        new ParquetSink(TABLE, null, null, null, null, null),
        onSuccess,
        onFailure,
        maxFiles);
  }

  static final WindowAction DELETE = new WindowAction("delete", null, null, null);
  static final WindowAction TO_FAILED =
      new WindowAction("move", "file:///landing/failed/", null, null);

  private WindowNotifier notifier(Route route) {
    return new WindowNotifier(client, QUEUE, new Routes(List.of(route)));
  }

  private static String file(String name) {
    return LANDING + name + ".csv";
  }

  /** Waits for the route's window workflow (following continue-as-new) to complete. */
  private WindowJournal result(String route) {
    return WorkflowStub.fromTyped(
            client.newWorkflowStub(
                BatchWindowWorkflow.class, WorkflowIds.window(route)))
        .getResult(WindowJournal.class);
  }

  @Test
  void givenFilesFromSeveralNotifications_whenWindowCloses_thenAllLoadedTogetherInOneLoad() {
    WindowNotifier notifier = notifier(route(List.of(DELETE), null, null));

    notifier.notify(file("a"));
    env.sleep(Duration.ofSeconds(10));
    notifier.notify(file("b"));
    env.sleep(Duration.ofSeconds(10));
    notifier.notify(file("c"));
    WindowJournal journal = result("orders");

    assertThat(fake.staged).containsExactly(List.of(file("a"), file("b"), file("c")));
    assertThat(fake.eventsStartingWith("publish")).hasSize(1);
    assertThat(journal.outcome()).isEqualTo(WindowJournal.LOADED);
    assertThat(journal.files()).containsExactly(file("a"), file("b"), file("c"));
    assertThat(journal.load().rows()).isEqualTo(30);
    assertThat(journal.windowId()).startsWith("orders-");
    // The window ran from its first file for 30s, however late the others came.
    assertThat(
            java.time.Duration.between(
                java.time.Instant.parse(journal.openedAt()),
                java.time.Instant.parse(journal.closedAt())))
        .isBetween(Duration.ofSeconds(30), Duration.ofSeconds(31));
    assertThat(fake.journalUris)
        .containsExactly(TABLE + "/_sluice/windows/" + journal.windowId() + ".json");
  }

  @Test
  void givenSameFileNotifiedTwice_whenWindowLoads_thenLoadedOnce() {
    WindowNotifier notifier = notifier(route(List.of(DELETE), null, null));

    notifier.notify(file("a"));
    notifier.notify(file("b"));
    notifier.notify(file("a"));
    WindowJournal journal = result("orders");

    assertThat(fake.staged).containsExactly(List.of(file("a"), file("b")));
    assertThat(journal.files()).containsExactly(file("a"), file("b"));
    assertThat(fake.eventsStartingWith("delete"))
        .containsExactly("delete " + List.of(file("a"), file("b")));
  }

  @Test
  void givenDeleteOnSuccess_whenLoadSucceeds_thenFilesAreRecordedLoadedAndDeletedOnlyAfterThePublish() {
    WindowNotifier notifier = notifier(route(List.of(DELETE), TO_FAILED, null));

    notifier.notify(file("a"));
    notifier.notify(file("b"));
    WindowJournal journal = result("orders");

    List<String> order =
        fake.events.stream()
            .map(e -> e.substring(0, e.indexOf(' ')))
            .filter(e -> !e.equals("journal"))
            .toList();
    assertThat(order).containsExactly("stage", "publish", "loaded", "delete");
    assertThat(journal.actions())
        .containsExactly(new ActionOutcome("delete", "the source files", true, "2 files"));
    assertThat(fake.eventsStartingWith("move")).isEmpty();
    Histories.keep(client, WorkflowIds.window("orders"), "batchwindow-success.json");
  }

  /** Waits for the route's window workflow to fail, and returns its failure. */
  private ApplicationFailure failure(String route) {
    WorkflowFailedException failed =
        catchThrowableOfType(WorkflowFailedException.class, () -> result(route));
    assertThat(failed).as("the window workflow failed").isNotNull();
    assertThat(failed.getCause()).isInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) failed.getCause();
  }

  @Test
  void givenLoadFails_whenWindowCloses_thenFilesMovedToFailurePrefixAndNothingDeleted() {
    fake.stageFailure = "file:///landing/orders/b.csv, line 3: unterminated quote";
    WindowNotifier notifier = notifier(route(List.of(DELETE), TO_FAILED, null));

    notifier.notify(file("a"));
    notifier.notify(file("b"));
    ApplicationFailure failure = failure("orders");
    WindowJournal journal = failure.getDetails().get(WindowJournal.class);

    assertThat(failure.getType()).isEqualTo("MalformedData");
    assertThat(failure.getOriginalMessage())
        .matches("window orders-\\S+ failed to load: .*line 3: unterminated quote");
    assertThat(journal.outcome()).isEqualTo(WindowJournal.FAILED);
    assertThat(journal.error()).contains("line 3: unterminated quote");
    assertThat(journal.load()).isNull();
    assertThat(fake.eventsStartingWith("publish")).isEmpty();
    assertThat(fake.eventsStartingWith("delete")).isEmpty();
    assertThat(fake.eventsStartingWith("discard")).hasSize(1);
    assertThat(fake.eventsStartingWith("move"))
        .containsExactly("move " + List.of(file("a"), file("b")) + " to file:///landing/failed/");
    assertThat(fake.journals).extracting(WindowJournal::outcome).containsExactly("FAILED");
    Histories.keep(client, WorkflowIds.window("orders"), "batchwindow-load-failed.json");

    // A failed window does not block the route: the next notification opens a new one.
    fake.stageFailure = null;
    notifier.notify(file("c"));
    assertThat(result("orders").files()).containsExactly(file("c"));
  }

  @Test
  void givenLoadAndItsJournalBothFail_whenWindowEnds_thenTheWorkflowFailsNamingBoth() {
    fake.stageFailure = "no file system for gs://lake/orders on this worker";
    fake.journalFailure = "no file system for gs://lake/orders/_sluice/windows on this worker";
    WindowNotifier notifier = notifier(route(List.of(DELETE), TO_FAILED, null));

    notifier.notify(file("a"));
    ApplicationFailure failure = failure("orders");

    // Nothing else records this window: its failure must say everything, and it is never
    // "completed".
    assertThat(failure.getOriginalMessage())
        .startsWith("window orders-")
        .contains("failed to load: no file system for gs://lake/orders on this worker")
        .endsWith(
            "; its journal could not be written: no file system for"
                + " gs://lake/orders/_sluice/windows on this worker");
    assertThat(failure.getDetails().get(WindowJournal.class).outcome())
        .isEqualTo(WindowJournal.FAILED);
    assertThat(fake.eventsStartingWith("move"))
        .containsExactly("move " + List.of(file("a")) + " to file:///landing/failed/");
    assertThat(fake.journals).isEmpty();
    Histories.keep(client, WorkflowIds.window("orders"), "batchwindow-load-and-journal-failed.json");
  }

  @Test
  void givenLoadFailsWhileAFileWaitsForTheNextWindow_whenWindowEnds_thenTheNextStillLoadsIt() {
    fake.nextStageFailure = "file:///landing/orders/a.csv, line 2: unterminated quote";
    WindowNotifier notifier = notifier(route(List.of(DELETE), TO_FAILED, null));
    fake.duringNextStage = () -> notifier.notify(file("late"));

    String firstRun = notifier.notify(file("a")).orElseThrow().runId();
    WindowJournal last = result("orders");

    // Failing the first execution would drop the late file: it continues as new, never completes.
    WorkflowExecutionStatus first =
        client
            .newUntypedWorkflowStub(
                WorkflowExecution.newBuilder()
                    .setWorkflowId(WorkflowIds.window("orders"))
                    .setRunId(firstRun)
                    .build(),
                Optional.empty())
            .describe()
            .getStatus();
    assertThat(first).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW);
    assertThat(fake.journals)
        .extracting(WindowJournal::outcome)
        .containsExactly(WindowJournal.FAILED, WindowJournal.LOADED);
    assertThat(last.files()).containsExactly(file("late"));
    assertThat(fake.eventsStartingWith("delete"))
        .containsExactly("delete " + List.of(file("late")));
  }

  @Test
  void givenFileNotifiedDuringTheLoad_whenWindowCompletes_thenItIsLoadedByTheNextWindow() {
    WindowNotifier notifier = notifier(route(List.of(DELETE), null, null));
    fake.duringNextStage =
        () -> {
          notifier.notify(file("late"));
          notifier.notify(file("a")); // already in the loading window: not loaded again
        };

    notifier.notify(file("a"));
    notifier.notify(file("b"));
    WindowJournal last = result("orders");

    assertThat(fake.staged).containsExactly(List.of(file("a"), file("b")), List.of(file("late")));
    assertThat(fake.journals).hasSize(2);
    assertThat(fake.journals.get(0).files()).containsExactly(file("a"), file("b"));
    assertThat(last.files()).containsExactly(file("late"));
    assertThat(last.windowId()).isNotEqualTo(fake.journals.get(0).windowId());
    assertThat(fake.eventsStartingWith("delete"))
        .containsExactly(
            "delete " + List.of(file("a"), file("b")), "delete " + List.of(file("late")));
  }

  @Test
  void givenNotificationRacingTheWindowsCompletion_whenItArrives_thenNextWindowLoadsIt() {
    WindowNotifier notifier = notifier(route(List.of(), null, null));
    // Signal-with-start while the window writes its journal, its last step before completing.
    fake.duringNextJournal = () -> notifier.notify(file("racer"));

    notifier.notify(file("a"));
    WindowJournal last = result("orders");

    assertThat(fake.staged).containsExactly(List.of(file("a")), List.of(file("racer")));
    assertThat(last.files()).containsExactly(file("racer"));
  }

  @Test
  void givenWindowCompleted_whenAnotherFileArrives_thenANewWindowOpensForIt() {
    WindowNotifier notifier = notifier(route(List.of(), null, null));
    notifier.notify(file("a"));
    WindowJournal first = result("orders");

    env.sleep(Duration.ofMinutes(5));
    notifier.notify(file("b"));
    WindowJournal second = result("orders");

    assertThat(first.files()).containsExactly(file("a"));
    assertThat(second.files()).containsExactly(file("b"));
    assertThat(second.windowId()).isNotEqualTo(first.windowId());
  }

  @Test
  void givenMissingFile_whenWindowLoads_thenReportedAndLeftOutOfTheDelete() {
    fake.missing.add(file("gone"));
    WindowNotifier notifier = notifier(route(List.of(DELETE), null, null));

    notifier.notify(file("a"));
    notifier.notify(file("gone"));
    WindowJournal journal = result("orders");

    assertThat(journal.outcome()).isEqualTo(WindowJournal.LOADED);
    assertThat(journal.load().missing()).containsExactly(file("gone"));
    assertThat(fake.eventsStartingWith("delete")).containsExactly("delete " + List.of(file("a")));
  }

  @Test
  void givenWebhookRefuses_whenActionsRun_thenLaterActionsStillRunAndOutcomeSaysSo() {
    fake.webhookStatus = 404;
    WindowAction hook = new WindowAction("webhook", null, "http://127.0.0.1:1/hook", null);
    WindowNotifier notifier = notifier(route(List.of(hook, DELETE), null, null));

    notifier.notify(file("a"));
    WindowJournal journal = result("orders");

    assertThat(journal.outcome()).isEqualTo(WindowJournal.LOADED_ACTIONS_FAILED);
    assertThat(journal.actions()).extracting(ActionOutcome::ok).containsExactly(false, true);
    assertThat(journal.actions().get(0).detail()).contains("HTTP 404");
    // The webhook is told what was loaded.
    assertThat(fake.webhookBodies)
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.load().rows()).isEqualTo(10);
              assertThat(b.files()).containsExactly(file("a"));
            });
  }

  @Test
  void givenMaxFilesReached_whenMoreArrive_thenWindowClosesEarlyAndTheRestGoNext() {
    WindowNotifier notifier = notifier(route(List.of(), null, 2));

    notifier.notify(file("a"));
    notifier.notify(file("b"));
    notifier.notify(file("c"));
    WindowJournal last = result("orders");

    assertThat(fake.staged).containsExactly(List.of(file("a"), file("b")), List.of(file("c")));
    assertThat(last.files()).containsExactly(file("c"));
  }

  @Test
  void givenOpenWindow_whenQueried_thenShowsItsFilesAndWhenItCloses() {
    WindowNotifier notifier = notifier(route(List.of(), null, null));
    notifier.notify(file("a"));
    notifier.notify(file("b"));

    WindowView view =
        client
            .newWorkflowStub(BatchWindowWorkflow.class, WorkflowIds.window("orders"))
            .window();

    assertThat(view.stage()).isEqualTo("OPEN");
    assertThat(view.files()).containsExactly(file("a"), file("b"));
    assertThat(
            java.time.Duration.between(
                java.time.Instant.parse(view.openedAt()), java.time.Instant.parse(view.closesAt())))
        .isEqualTo(Duration.ofSeconds(30));
    result("orders");
  }

  @Test
  void givenFileNoRouteTakes_whenNotified_thenNothingStarts() {
    WindowNotifier notifier = notifier(route(List.of(), null, null));

    assertThat(notifier.notify("file:///elsewhere/x.csv")).isEmpty();
    assertThat(notifier.notify(LANDING + "x.json")).isEmpty();
    assertThat(fake.events).isEmpty();
  }
}
