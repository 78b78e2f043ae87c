package dev.sluice.starter.dev;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A Temporal server this process started on 127.0.0.1 for {@code sluice dev}, {@code demo} and
 * {@code server}: the real dev server of the Temporal CLI ({@link TemporalDevServer}) or Temporal's
 * Java test server ({@link EmbeddedTemporal}). Closing it stops it.
 */
public interface LocalTemporal extends AutoCloseable {
  /** Temporal's own default frontend port: clients need no {@code TEMPORAL_ADDRESS} for it. */
  int DEFAULT_PORT = 7233;

  /** The frontend's loopback port. */
  int port();

  /** {@code 127.0.0.1:<port>}, the target for {@code --address} / {@code TEMPORAL_ADDRESS}. */
  default String address() {
    return "127.0.0.1:" + port();
  }

  /** The Web UI's base URL, e.g. {@code http://127.0.0.1:8233}; empty when there is none. */
  Optional<String> webUi();

  /** One line on what this server is and what it lacks, for banners. */
  String description();

  /**
   * The Web UI page of one run, e.g. {@code
   * http://127.0.0.1:8233/namespaces/default/workflows/ingest%2Fcontacts%2F2026-11-22/RUN/history}
   * (the workflow ID is one path segment); empty when there is no Web UI.
   */
  default Optional<String> runUrl(String namespace, String workflowId, String runId) {
    return webUi()
        .map(
            base ->
                base
                    + "/namespaces/"
                    + pathSegment(namespace)
                    + "/workflows/"
                    + pathSegment(workflowId)
                    + "/"
                    + pathSegment(runId)
                    + "/history");
  }

  /** Stops the server; what it held in memory is gone. */
  @Override
  void close();

  /** {@code s} as one URL path segment: a workflow ID's slashes must not become path levels. */
  static String pathSegment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
