package dev.sluice.sandbox;

import java.time.Duration;

/**
 * Start-up settings of a {@link SandboxServer}. Knobs changed at run time (on {@link
 * SalesforceEmulator} or {@link GenericExportEmulator}) return to these values on reset.
 *
 * @param port TCP port on 127.0.0.1; 0 picks a free one
 * @param contactRecords initial number of Contact rows
 * @param seed seed of the generated Contact and events data
 * @param clientId OAuth client ID accepted by the token endpoint
 * @param clientSecret OAuth client secret accepted by the token endpoint
 * @param tokenTtl lifetime of issued access tokens
 * @param pollsBeforeReady status polls until a job or export is ready (the Nth poll sees it ready)
 * @param defaultMaxRecords rows per results page when the client sends no {@code maxRecords}
 * @param apiKey the {@code X-API-Key} the generic export API accepts
 * @param eventRecords rows of the generic {@code events} dataset when an export names no count
 * @param bindAddress interface to listen on: 127.0.0.1 unless a user asks otherwise (a container)
 * @param icebergWarehouse the directory of the Iceberg REST catalog's tables and database; null for
 *     a temporary one, made when the catalog is first used
 */
public record SandboxConfig(
    int port,
    int contactRecords,
    long seed,
    String clientId,
    String clientSecret,
    Duration tokenTtl,
    int pollsBeforeReady,
    int defaultMaxRecords,
    String apiKey,
    int eventRecords,
    String bindAddress,
    String icebergWarehouse) {

  /** Port 0, 1000 contacts, seed 42, the sandbox credentials, 15-minute tokens, ready on poll 2. */
  public static SandboxConfig defaults() {
    return new SandboxConfig(
        0,
        1000,
        42,
        "sluice-sandbox-client",
        "sluice-sandbox-secret",
        Duration.ofMinutes(15),
        2,
        50_000,
        "sandbox-key",
        1000,
        "127.0.0.1",
        null);
  }

  public SandboxConfig withPort(int port) {
    return new SandboxConfig(
        port,
        contactRecords,
        seed,
        clientId,
        clientSecret,
        tokenTtl,
        pollsBeforeReady,
        defaultMaxRecords,
        apiKey,
        eventRecords,
        bindAddress,
        icebergWarehouse);
  }

  public SandboxConfig withContactRecords(int contactRecords) {
    return new SandboxConfig(
        port,
        contactRecords,
        seed,
        clientId,
        clientSecret,
        tokenTtl,
        pollsBeforeReady,
        defaultMaxRecords,
        apiKey,
        eventRecords,
        bindAddress,
        icebergWarehouse);
  }

  public SandboxConfig withSeed(long seed) {
    return new SandboxConfig(
        port,
        contactRecords,
        seed,
        clientId,
        clientSecret,
        tokenTtl,
        pollsBeforeReady,
        defaultMaxRecords,
        apiKey,
        eventRecords,
        bindAddress,
        icebergWarehouse);
  }

  public SandboxConfig withCredentials(String clientId, String clientSecret) {
    return new SandboxConfig(
        port,
        contactRecords,
        seed,
        clientId,
        clientSecret,
        tokenTtl,
        pollsBeforeReady,
        defaultMaxRecords,
        apiKey,
        eventRecords,
        bindAddress,
        icebergWarehouse);
  }

  public SandboxConfig withTokenTtl(Duration tokenTtl) {
    return new SandboxConfig(
        port,
        contactRecords,
        seed,
        clientId,
        clientSecret,
        tokenTtl,
        pollsBeforeReady,
        defaultMaxRecords,
        apiKey,
        eventRecords,
        bindAddress,
        icebergWarehouse);
  }

  public SandboxConfig withPollsBeforeReady(int pollsBeforeReady) {
    return new SandboxConfig(
        port,
        contactRecords,
        seed,
        clientId,
        clientSecret,
        tokenTtl,
        pollsBeforeReady,
        defaultMaxRecords,
        apiKey,
        eventRecords,
        bindAddress,
        icebergWarehouse);
  }

  public SandboxConfig withDefaultMaxRecords(int defaultMaxRecords) {
    return new SandboxConfig(
        port,
        contactRecords,
        seed,
        clientId,
        clientSecret,
        tokenTtl,
        pollsBeforeReady,
        defaultMaxRecords,
        apiKey,
        eventRecords,
        bindAddress,
        icebergWarehouse);
  }

  public SandboxConfig withApiKey(String apiKey) {
    return new SandboxConfig(
        port,
        contactRecords,
        seed,
        clientId,
        clientSecret,
        tokenTtl,
        pollsBeforeReady,
        defaultMaxRecords,
        apiKey,
        eventRecords,
        bindAddress,
        icebergWarehouse);
  }

  public SandboxConfig withBindAddress(String bindAddress) {
    return new SandboxConfig(
        port,
        contactRecords,
        seed,
        clientId,
        clientSecret,
        tokenTtl,
        pollsBeforeReady,
        defaultMaxRecords,
        apiKey,
        eventRecords,
        bindAddress,
        icebergWarehouse);
  }

  public SandboxConfig withEventRecords(int eventRecords) {
    return new SandboxConfig(
        port,
        contactRecords,
        seed,
        clientId,
        clientSecret,
        tokenTtl,
        pollsBeforeReady,
        defaultMaxRecords,
        apiKey,
        eventRecords,
        bindAddress,
        icebergWarehouse);
  }

  public SandboxConfig withIcebergWarehouse(String icebergWarehouse) {
    return new SandboxConfig(
        port,
        contactRecords,
        seed,
        clientId,
        clientSecret,
        tokenTtl,
        pollsBeforeReady,
        defaultMaxRecords,
        apiKey,
        eventRecords,
        bindAddress,
        icebergWarehouse);
  }
}
