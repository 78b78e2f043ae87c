package dev.sluice.starter.realserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sandbox's generic export API as an {@code async-http} pipeline, for real-server tests that
 * vary only what the source shares with other pipelines ({@code concurrency}, {@code budget}).
 */
final class ExportPipelines {
  private ExportPipelines() {}

  /**
   * Writes pipeline {@code name} to {@code dir}, its table at {@code out/<name>} beside it.
   *
   * @param sourceExtra YAML added to {@code source}, each line indented by two spaces
   */
  static Path write(Path dir, String name, String sourceExtra) throws IOException {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(
        file,
        """
        name: %s
        source:
          type: async-http
          auth:
            type: api-key
            header: X-API-Key
            key: ${env:EXPORT_API_KEY}
        %s
          submit:
            method: POST
            url: ${env:EXPORT_BASE_URL}/generic/exports
            headers:
              Content-Type: application/json
              Idempotency-Key: ${idempotencyKey}
            body: '{"dataset":"events","format":"json","pagination":"cursor","pageSize":500}'
            requestId: {from: body, pointer: /uri, regex: '/syncs/([0-9]+)$'}
          status:
            url: ${env:EXPORT_BASE_URL}/generic/syncs/${requestId}
            field: /status
            readyWhen: ^ready$
            failedWhen: ^failed$
            interval: 500ms
            backoff: 1.0
          extract:
            url: ${env:EXPORT_BASE_URL}/generic/syncs/${requestId}/data
            format: {type: json, recordsPath: /result/items}
            pagination: {type: cursor, pointer: /next_cursor, param: cursor}
        sink:
          type: parquet
          path: out/%s
        """
            .formatted(name, sourceExtra, name));
    return file;
  }
}
