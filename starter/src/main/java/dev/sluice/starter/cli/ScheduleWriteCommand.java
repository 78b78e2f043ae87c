package dev.sluice.starter.cli;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.starter.spec.LoadedPipeline;
import io.temporal.client.schedules.ScheduleClient;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Mixin;

/**
 * {@code schedule create} and {@code schedule update}: the flags both take, and their common course
 * (validate the pipeline, connect, then write the schedule).
 */
abstract class ScheduleWriteCommand extends CliCommand {
  @Mixin ConnectionOptions connection;
  @Mixin TaskQueueOption queue;
  @Mixin ScheduleFlags flags;

  /** Writes schedule {@code id}, given the validated pipeline. */
  @FunctionalInterface
  interface Write {
    /**
     * @param visible whether the server has Sluice's search attributes, which the runs then carry
     */
    int run(ScheduleClient schedules, PipelineSpec pipeline, boolean visible);
  }

  /** Loads {@code file}, exiting 2 when it is not a valid pipeline, then connects and writes. */
  int write(String id, Path file, Write write) {
    Optional<LoadedPipeline> loaded = PipelineFiles.load(file, err());
    if (loaded.isEmpty()) {
      return ExitCodes.INVALID_INPUT;
    }
    PipelineSpec pipeline = loaded.get().spec();
    return ScheduleCalls.run(
        connection,
        id,
        err(),
        (schedules, temporal) ->
            write.run(
                schedules, pipeline, PipelineRuns.searchAttributesRegistered(temporal.client())));
  }
}
