package dev.sluice.workflows.histories;

import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Records workflow histories for {@link RecordedHistoriesReplayTest}, once: a test that ran a
 * scenario to its end calls {@link #keep}, which writes the run's history only when recording is
 * asked for ({@code -Dsluice.recordHistories=true}) and no recording of that name exists yet.
 * Existing recordings are never overwritten, since they stand for the code that wrote them.
 */
public final class Histories {
  /** Where recordings live, relative to the module (surefire's working directory). */
  public static final Path DIR = Paths.get("src/test/resources/histories");

  private Histories() {}

  /** Whether this test run records histories. */
  public static boolean recording() {
    return Boolean.getBoolean("sluice.recordHistories");
  }

  /**
   * Writes the history of {@code workflowId}'s latest run as {@code name}, if recording and not
   * recorded before. The run must have ended.
   */
  public static void keep(WorkflowClient client, String workflowId, String name) {
    if (!recording() || Files.exists(DIR.resolve(name))) {
      return;
    }
    try {
      Files.createDirectories(DIR);
      Files.writeString(DIR.resolve(name), client.fetchHistory(workflowId).toJson(true));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
