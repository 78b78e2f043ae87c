package dev.sluice.starter.cli;

import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.starter.dev.LocalTemporal;
import dev.sluice.workers.codec.AesGcmPayloadCodec;
import dev.sluice.workers.codec.CodecServer;
import dev.sluice.workers.codec.PayloadEncryption;
import java.util.Optional;

/**
 * A local Temporal server that {@code dev}, {@code demo} or {@code server} started and, when
 * payloads are encrypted and the server has a Web UI, the codec server that UI decodes with (the
 * browser calls it: without one the UI shows every payload as ciphertext). Closing it stops both.
 *
 * @param temporal the server
 * @param codec the payload encryption {@code SLUICE_CODEC_KEY_ID} set up, empty when off
 * @param uiCodec the Web UI's codec server, null when there is none
 */
record LocalStack(LocalTemporal temporal, Optional<AesGcmPayloadCodec> codec, CodecServer uiCodec)
    implements AutoCloseable {

  /** The banner's codec line: how payloads are encrypted, and where the Web UI decodes them. */
  String codecLine() {
    return PayloadEncryption.describe(codec)
        + (uiCodec == null ? "" : "; the Web UI decodes with " + uiCodec.baseUrl());
  }

  /**
   * Starts the sandbox and a worker on this stack's server ({@link DevEnvironment#start}), which
   * then owns the server: closing it stops the server, and so does a failure to start, which also
   * stops the Web UI's codec server here. That one the caller stops with {@link #closeUiCodec()}.
   */
  DevEnvironment startDev(SandboxConfig sandbox, String taskQueue) {
    try {
      return DevEnvironment.start(temporal, sandbox, taskQueue);
    } catch (RuntimeException e) {
      closeUiCodec();
      throw e;
    }
  }

  /** Stops the Web UI's codec server, for when something else owns (and stops) the server. */
  void closeUiCodec() {
    if (uiCodec != null) {
      uiCodec.close();
    }
  }

  @Override
  public void close() {
    try {
      temporal.close();
    } finally {
      closeUiCodec();
    }
  }
}
