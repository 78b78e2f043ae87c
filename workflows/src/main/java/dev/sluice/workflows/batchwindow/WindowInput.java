package dev.sluice.workflows.batchwindow;

import java.util.List;

/**
 * Input of {@link BatchWindowWorkflow}.
 *
 * @param route the route, as it was when its window workflow started (a changed routes file applies
 *     from the next window that starts afresh)
 * @param carried files notified while the previous window was loading: this window opens with them;
 *     empty for a window started by a notification (the notification's signal brings its file)
 */
public record WindowInput(Route route, List<String> carried) {
  public WindowInput {
    carried = carried == null ? List.of() : List.copyOf(carried);
  }
}
