package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.starter.routes.RoutesLoader;
import dev.sluice.workers.notify.NotifyEndpoint;
import dev.sluice.workflows.batchwindow.BatchWindowWorkflow;
import dev.sluice.workflows.batchwindow.WindowJournal;
import dev.sluice.workflows.batchwindow.WindowNotifier;
import dev.sluice.workflows.common.WorkflowIds;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch windows end to end: the embedded Temporal server, a real worker with the real activities,
 * local files ({@code file://}), notifications through {@code sluice notify} and through the
 * worker's {@code POST /notify} endpoint, the Parquet read back by DuckDB, and {@code sluice
 * windows}. The window is 3 real seconds (the embedded server does not skip time).
 */
class BatchWindowEndToEndTest {
  private static final String QUEUE = "windows-e2e";
  private static DevEnvironment dev;

  @TempDir static Path work;

  @BeforeAll
  static void startStack() {
    dev = DevEnvironment.start(0, SandboxConfig.defaults(), QUEUE);
  }

  @AfterAll
  static void stopStack() {
    dev.close();
  }

  private static String[] args(String... head) {
    return Stream.concat(
            Stream.of(head),
            Stream.of("--address", dev.temporal().address(), "--task-queue", QUEUE))
        .toArray(String[]::new);
  }

  /** {@code sluice windows} reads journals and queries; it takes no task queue. */
  private static String[] windows(String... head) {
    return Stream.concat(Stream.of(head), Stream.of("--address", dev.temporal().address()))
        .toArray(String[]::new);
  }

  private static Path routes(Path dir, String name, Path landing, String onSuccess)
      throws Exception {
    Files.createDirectories(dir);
    Path file = dir.resolve("routes.yaml");
    Files.writeString(
        file,
        "routes:\n"
            + "  - name: "
            + name
            + "\n"
            + "    when: {prefix: \""
            + landing.toUri()
            + "\", suffix: .csv}\n"
            + "    window: 3s\n"
            + "    sink: {type: parquet, path: out/"
            + name
            + "}\n"
            + "    onSuccess:\n"
            + onSuccess
            + "    onFailure: {type: move, to: failed}\n");
    return file;
  }

  private static Path csv(Path landing, String name, int from, int count) throws Exception {
    Files.createDirectories(landing);
    StringBuilder text = new StringBuilder("id,amount\n");
    for (int i = from; i < from + count; i++) {
      text.append("o-").append(i).append(',').append(i * 10).append('\n');
    }
    return Files.writeString(landing.resolve(name), text);
  }

  private static WindowJournal awaitWindow(String route) {
    return WorkflowStub.fromTyped(
            dev.client()
                .newWorkflowStub(BatchWindowWorkflow.class, WorkflowIds.window(route)))
        .getResult(WindowJournal.class);
  }

  private static List<String> ids(Path table) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id FROM read_parquet('" + table + "/*.parquet') ORDER BY amount")) {
      List<String> ids = new ArrayList<>();
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
      return ids;
    }
  }

  @Test
  void givenFilesNotifiedByCliAndHttp_whenWindowCloses_thenOneLoadAndDeleteOnlyAfterIt()
      throws Exception {
    Path dir = work.resolve("orders");
    Path landing = dir.resolve("landing");
    Path routesFile = routes(dir, "orders", landing, "      - type: delete\n");
    Path a = csv(landing, "a.csv", 0, 3);
    Path b = csv(landing, "b.csv", 3, 4);
    Path c = csv(landing, "c.csv", 7, 2);
    NotifyEndpoint endpoint =
        NotifyEndpoint.start(
            new WindowNotifier(dev.client(), QUEUE, new RoutesLoader().load(routesFile)),
            new ObjectMapper(),
            "127.0.0.1",
            0);
    try {
      Cli first = Cli.run(args("notify", "--routes", routesFile.toString(), a.toString()));
      assertThat(first.exitCode()).as(first.err()).isZero();
      assertThat(first.out()).contains(a.toUri() + " → window/orders (route orders)");

      HttpResponse<String> viaHttp =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + endpoint.address().getPort() + "/notify"))
                      .POST(HttpRequest.BodyPublishers.ofString("{\"uri\": \"" + b.toUri() + "\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(viaHttp.statusCode()).as(viaHttp.body()).isEqualTo(202);
      assertThat(viaHttp.body()).contains("\"workflowId\":\"window/orders\"");

      Cli again =
          Cli.run(args("notify", "--routes", routesFile.toString(), c.toString(), a.toString()));
      assertThat(again.exitCode()).as(again.err()).isZero();
      // The window is still open: nothing loaded, nothing deleted yet.
      assertThat(a).exists();
      assertThat(b).exists();
      Cli open = Cli.run(windows("windows", "orders", "--routes", routesFile.toString()));
      assertThat(open.out()).containsPattern("open: orders-\\S+ (OPEN|LOADING|ACTING)");

      WindowJournal journal = awaitWindow("orders");

      assertThat(journal.outcome()).isEqualTo(WindowJournal.LOADED);
      assertThat(journal.files())
          .containsExactly(a.toUri().toString(), b.toUri().toString(), c.toUri().toString());
      assertThat(journal.load().rows()).isEqualTo(9);
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        expected.add("o-" + i);
      }
      Path table = dir.resolve("out/orders");
      assertThat(ids(table)).containsExactlyElementsOf(expected);
      // One load: one set of data files, named after the window.
      assertThat(journal.load().dataFiles())
          .allSatisfy(f -> assertThat(f).contains("part-" + journal.windowId()));
      assertThat(a).doesNotExist();
      assertThat(b).doesNotExist();
      assertThat(c).doesNotExist();
      assertThat(table.resolve("_sluice/windows/" + journal.windowId() + ".json")).exists();

      Cli listed = Cli.run(windows("windows", "orders", "--routes", routesFile.toString()));
      assertThat(listed.exitCode()).as(listed.err()).isZero();
      assertThat(listed.out())
          .contains(journal.windowId())
          .containsPattern("LOADED +\\S+ +3 +9 +delete ok \\(3 files\\)")
          .contains("open: none");
    } finally {
      endpoint.close();
    }
  }

  @Test
  void givenFileLoadedByAWindow_whenNotifiedAgain_thenItIsNotLoadedTwiceUnlessItChanged()
      throws Exception {
    Path dir = work.resolve("again");
    Path landing = dir.resolve("landing");
    // No delete or move: the file stays where it is, as with storage events delivered twice.
    Path routesFile = routes(dir, "again", landing, "      []\n");
    Path a = csv(landing, "a.csv", 0, 3);
    Path table = dir.resolve("out/again");
    Cli first = Cli.run(args("notify", "--routes", routesFile.toString(), a.toString()));
    assertThat(first.exitCode()).as(first.err()).isZero();
    WindowJournal loaded = awaitWindow("again");
    assertThat(loaded.load().rows()).isEqualTo(3);

    Cli again = Cli.run(args("notify", "--routes", routesFile.toString(), a.toString()));
    assertThat(again.exitCode()).as(again.err()).isZero();
    WindowJournal second = awaitWindow("again");

    assertThat(second.windowId()).isNotEqualTo(loaded.windowId());
    assertThat(second.outcome()).isEqualTo(WindowJournal.LOADED);
    assertThat(second.load().rows()).isZero();
    assertThat(second.load().alreadyLoaded()).containsExactly(a.toUri().toString());
    assertThat(ids(table)).containsExactly("o-0", "o-1", "o-2");

    // A new version of the file is new data: it loads.
    csv(landing, "a.csv", 3, 2);
    Files.setLastModifiedTime(
        a,
        java.nio.file.attribute.FileTime.fromMillis(
            Files.getLastModifiedTime(a).toMillis() + 2_000));
    Cli changed = Cli.run(args("notify", "--routes", routesFile.toString(), a.toString()));
    assertThat(changed.exitCode()).as(changed.err()).isZero();
    WindowJournal third = awaitWindow("again");

    assertThat(third.load().rows()).isEqualTo(2);
    assertThat(third.load().alreadyLoaded()).isEmpty();
    assertThat(ids(table)).containsExactly("o-0", "o-1", "o-2", "o-3", "o-4");
  }

  @Test
  void givenMalformedFile_whenWindowLoads_thenNothingPublishedAndFilesMovedToFailure()
      throws Exception {
    Path dir = work.resolve("broken");
    Path landing = dir.resolve("landing");
    Path routesFile = routes(dir, "broken", landing, "      - type: delete\n");
    Path good = csv(landing, "good.csv", 0, 2);
    Path bad = Files.writeString(landing.resolve("bad.csv"), "id,amount\n\"o-1,10\n");

    Cli notified =
        Cli.run(args("notify", "--routes", routesFile.toString(), good.toString(), bad.toString()));
    assertThat(notified.exitCode()).as(notified.err()).isZero();
    WorkflowFailedException failed =
        catchThrowableOfType(WorkflowFailedException.class, () -> awaitWindow("broken"));
    assertThat(failed).as("a window whose load failed fails").isNotNull();
    WindowJournal journal =
        ((ApplicationFailure) failed.getCause()).getDetails().get(WindowJournal.class);

    assertThat(journal.outcome()).isEqualTo(WindowJournal.FAILED);
    assertThat(journal.error()).contains(bad.toUri().toString());
    assertThat(dir.resolve("failed/good.csv")).exists();
    assertThat(dir.resolve("failed/bad.csv")).exists();
    assertThat(good).doesNotExist();
    try (Stream<Path> files = Files.list(dir.resolve("out/broken"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsOnly("_sluice");
    }
    Cli listed =
        Cli.run(windows("windows", "broken", "--routes", routesFile.toString(), "--no-open"));
    assertThat(listed.out()).contains("FAILED").contains("move ok (2 files)").contains("error: ");
    Cli status = Cli.run(windows("status", "window/broken"));
    assertThat(status.exitCode()).isEqualTo(1);
    assertThat(status.out())
        .startsWith("window/broken: failed: window " + journal.windowId() + " failed to load: ")
        .contains(bad.toUri().toString());
  }

  @Test
  void givenFileNoRouteTakes_whenNotified_thenExit2AndNothingStarts() throws Exception {
    Path dir = work.resolve("unrouted");
    Path routesFile = routes(dir, "unrouted", dir.resolve("landing"), "      - type: delete\n");

    Cli cli = Cli.run(args("notify", "--routes", routesFile.toString(), "/elsewhere/x.csv"));

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).contains("file:///elsewhere/x.csv: no route in");
  }
}
