package dev.sluice.workflows.batchwindow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * One deferred action of a route, run on the window's files once the load succeeded ({@code
 * onSuccess}), or after it failed ({@code onFailure}, {@code move} only).
 *
 * @param type {@code delete} (the source files), {@code move} (the source files, under {@code to})
 *     or {@code webhook} (POST a JSON summary of the window to {@code url})
 * @param to move: the directory URI the files move into, keeping their names
 * @param url webhook: the URL; may hold {@code ${env:NAME}} / {@code ${file:PATH}} references,
 *     resolved on the worker
 * @param headers webhook: extra request headers; values may hold secret references
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WindowAction(String type, String to, String url, Map<String, String> headers) {
  public static final String DELETE = "delete";
  public static final String MOVE = "move";
  public static final String WEBHOOK = "webhook";

  public WindowAction {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /** What the action acts on, for journals and activity summaries. */
  public String target() {
    return switch (type) {
      case MOVE -> to;
      case WEBHOOK -> url;
      default -> "the source files";
    };
  }
}
