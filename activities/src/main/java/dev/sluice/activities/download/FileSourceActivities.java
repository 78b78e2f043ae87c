package dev.sluice.activities.download;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.ProviderActivities;
import dev.sluice.activities.http.ProviderClients;

/**
 * The provider activities that reach a files source: beside the provider clients and file systems,
 * an {@link SftpFiles} for {@code sftp://} sources (one SSH client, resolving the sources' secrets).
 */
abstract class FileSourceActivities extends ProviderActivities {
  /** Reaches {@code sftp://} sources. */
  protected final SftpFiles sftp;

  FileSourceActivities(ProviderClients providers, HadoopFiles files) {
    super(providers, files);
    this.sftp = new SftpFiles(providers.secrets());
  }
}
