package dev.sluice.workflows.batchwindow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.SinkSpec;
import java.time.Duration;
import java.util.List;

/**
 * Where arriving files of one kind go, and how they are batched: the window of a route opens with
 * its first file, collects every file notified for {@code window}, then loads them all as one batch
 * into {@code sink}, then runs {@code onSuccess}; when the load fails it runs {@code onFailure}
 * instead.
 *
 * @param name the route's name: its window workflow is {@code window/<name>}
 * @param when which file URIs the route takes
 * @param window how long a window collects files after its first one (default 30s)
 * @param format how to parse the files; null: by each file's extension ({@code .csv}, {@code
 *     .json}, {@code .ndjson} / {@code .jsonl}, each optionally {@code .gz})
 * @param sink the Parquet table, or the platform dataset (with its table of what was sent)
 * @param onSuccess actions after a successful load, in order
 * @param onFailure action after a failed load ({@code move} only), or null
 * @param maxFiles a window closes early once it holds this many files (default 1000), which bounds
 *     the size of its history and of the load's input; later files go to the next window
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Route(
    String name,
    RouteMatch when,
    Duration window,
    FormatSpec format,
    SinkSpec sink,
    List<WindowAction> onSuccess,
    WindowAction onFailure,
    Integer maxFiles) {

  public Route {
    window = window == null ? Duration.ofSeconds(30) : window;
    onSuccess = onSuccess == null ? List.of() : List.copyOf(onSuccess);
    maxFiles = maxFiles == null ? 1000 : maxFiles;
  }
}
