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
 * @param contactCustomFields custom fields of the Contact table after its standard ones (see
 *     {@link ContactData#fields}); 0, the default, serves the standard fields only
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
    String icebergWarehouse,
    int contactCustomFields) {

  /**
   * Port 0, 1000 contacts, seed 42, the sandbox credentials, 15-minute tokens, ready on poll 2,
   * no custom Contact fields.
   */
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
        null,
        0);
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
        icebergWarehouse,
        contactCustomFields);
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
        icebergWarehouse,
        contactCustomFields);
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
        icebergWarehouse,
        contactCustomFields);
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
        icebergWarehouse,
        contactCustomFields);
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
        icebergWarehouse,
        contactCustomFields);
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
        icebergWarehouse,
        contactCustomFields);
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
        icebergWarehouse,
        contactCustomFields);
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
        icebergWarehouse,
        contactCustomFields);
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
        icebergWarehouse,
        contactCustomFields);
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
        icebergWarehouse,
        contactCustomFields);
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
        icebergWarehouse,
        contactCustomFields);
  }

  /**
   * Adds {@code contactCustomFields} generated custom fields to the Contact table, for wide-row
   * benchmarks; the standard fields' values do not change.
   *
   * @throws IllegalArgumentException if {@code contactCustomFields} is negative or above {@link
   *     ContactData#MAX_CUSTOM_FIELDS}
   */
  public SandboxConfig withContactCustomFields(int contactCustomFields) {
    if (contactCustomFields < 0 || contactCustomFields > ContactData.MAX_CUSTOM_FIELDS) {
      throw new IllegalArgumentException(
          "contactCustomFields must be 0 to "
              + ContactData.MAX_CUSTOM_FIELDS
              + ", got "
              + contactCustomFields);
    }
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
        icebergWarehouse,
        contactCustomFields);
  }
}
