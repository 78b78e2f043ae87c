package dev.sluice.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerLimitsTest {

  @Test
  void givenNoVariables_whenRead_thenSdkDefaultsAndNoRateLimit() {
    assertThat(WorkerLimits.fromEnvironment(Map.of())).isEqualTo(new WorkerLimits(600, 200, 0));
  }

  @Test
  void givenVariables_whenRead_thenEachLimitTaken() {
    WorkerLimits limits =
        WorkerLimits.fromEnvironment(
            Map.of(
                "SLUICE_WORKFLOW_CACHE_SIZE", "0",
                "SLUICE_MAX_CONCURRENT_ACTIVITIES", "16",
                "SLUICE_TASK_QUEUE_ACTIVITIES_PER_SECOND", "2.5"));

    assertThat(limits).isEqualTo(new WorkerLimits(0, 16, 2.5));
  }

  @Test
  void givenPollerVariables_whenRead_thenTakenAndTooFewRefused() {
    WorkerLimits limits =
        WorkerLimits.fromEnvironment(
            Map.of("SLUICE_WORKFLOW_TASK_POLLERS", "32", "SLUICE_ACTIVITY_TASK_POLLERS", "16"));

    assertThat(limits.workflowPollers()).isEqualTo(32);
    assertThat(limits.activityPollers()).isEqualTo(16);
    assertThat(WorkerLimits.DEFAULTS.workflowPollers()).isEqualTo(5);
    assertThatThrownBy(
            () -> WorkerLimits.fromEnvironment(Map.of("SLUICE_WORKFLOW_TASK_POLLERS", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 2 workflow task pollers");
  }

  @Test
  void givenNonNumber_whenRead_thenVariableNamedInTheError() {
    assertThatThrownBy(
            () -> WorkerLimits.fromEnvironment(Map.of("SLUICE_MAX_CONCURRENT_ACTIVITIES", "lots")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SLUICE_MAX_CONCURRENT_ACTIVITIES: 'lots' is not a number");
  }

  @Test
  void givenNoActivitySlots_whenBuilt_thenRefused() {
    assertThatThrownBy(() -> new WorkerLimits(600, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max concurrent activities must be >= 1");
  }
}
