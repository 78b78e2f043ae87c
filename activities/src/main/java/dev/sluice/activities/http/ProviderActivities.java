package dev.sluice.activities.http;

import dev.sluice.activities.fs.HadoopFiles;

/**
 * What every activity implementation that talks to a provider holds: the worker's one {@link
 * ProviderClients} (client, mapper, secrets, meters, token caches) and its file systems. One
 * instance per worker.
 */
public abstract class ProviderActivities {
  /** The worker's provider clients, shared by every activity that talks to a provider. */
  protected final ProviderClients providers;

  /** The worker's file systems (tables, staging, listings, stores). */
  protected final HadoopFiles files;

  /**
   * @param providers the worker's provider clients (client, mapper, secrets, meters, tokens)
   * @param files the worker's file systems
   */
  protected ProviderActivities(ProviderClients providers, HadoopFiles files) {
    this.providers = providers;
    this.files = files;
  }
}
