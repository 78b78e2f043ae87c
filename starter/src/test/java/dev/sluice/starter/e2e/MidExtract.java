package dev.sluice.starter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the tests that kill a worker or the server in the middle of an extract share: a pipeline
 * that checkpoints after every page, a wait for the running extract's checkpoint, and a worker in a
 * JVM of its own that SIGKILL stops like a crashed machine.
 */
public final class MidExtract {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MidExtract() {}

  /**
   * The example Salesforce pipeline in {@code dir}, {@code pageSize} rows a page, checking its job
   * every second: a checkpoint after every page (checkpointInterval 0s, the schema fixed by the
   * first page), though no file comes near the default 128MB targetFileSize.
   */
  public static Path pipeline(Path dir, int pageSize) throws IOException {
    Path pipeline = AsyncIngestEndToEndTest.examplePipeline(dir, pageSize);
    Files.writeString(
        pipeline,
        Files.readString(pipeline)
            .replace("interval: 2s", "interval: 1s\n    polling: workflow")
            .replace("compression: snappy", "compression: snappy\n  inferRows: " + pageSize)
            .replace(
                "    format:\n      type: csv",
                "    checkpointInterval: 0s\n    format:\n      type: csv"));
    return pipeline;
  }

  /**
   * Waits until run {@code id}'s running extract has heartbeated a checkpoint past {@code pages}
   * pages, and returns how many pages it holds.
   */
  public static int awaitCheckpoint(WorkflowClient client, String id, int pages)
      throws Exception {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      Optional<Integer> checkpointed = checkpointedPages(client, id);
      if (checkpointed.isPresent() && checkpointed.get() >= pages) {
        return checkpointed.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the extract never checkpointed " + pages + " pages");
  }

  private static Optional<Integer> checkpointedPages(WorkflowClient client, String id)
      throws Exception {
    var description = client.newUntypedWorkflowStub(id).describe().getRawDescription();
    for (PendingActivityInfo activity : description.getPendingActivitiesList()) {
      if (activity.getActivityType().getName().equals("Extract")
          && activity.hasHeartbeatDetails()) {
        List<Payload> payloads = activity.getHeartbeatDetails().getPayloadsList();
        JsonNode checkpoint = JSON.readTree(payloads.get(0).getData().toStringUtf8());
        if (!checkpoint.path("writer").isNull() && !checkpoint.path("writer").isMissingNode()) {
          return Optional.of(checkpoint.path("pages").asInt());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A worker in a JVM of its own ({@code main} on this test classpath), polling {@code queue} at
   * {@code address} with {@code env} added to its environment; its output goes to {@code log}.
   */
  public static Process workerProcess(
      Class<?> main, String address, String queue, Map<String, String> env, Path log)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), main.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    pb.environment().put("TEMPORAL_ADDRESS", address);
    pb.environment().put("SLUICE_TASK_QUEUE", queue);
    return pb.start();
  }
}
