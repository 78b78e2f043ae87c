package dev.sluice.workers;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.download.FileDownloadActivitiesImpl;
import dev.sluice.activities.download.FileListingActivitiesImpl;
import dev.sluice.activities.files.SourceFileActivitiesImpl;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.HttpClients;
import dev.sluice.activities.http.HttpJobActivitiesImpl;
import dev.sluice.activities.http.ProviderClients;
import dev.sluice.activities.iceberg.IcebergCatalogs;
import dev.sluice.activities.iceberg.IcebergFormat;
import dev.sluice.activities.iceberg.maintenance.IcebergTableActivitiesImpl;
import dev.sluice.activities.parquet.ParquetSinkActivitiesImpl;
import dev.sluice.activities.parquet.TableFormats;
import dev.sluice.activities.platform.PlatformBatchActivitiesImpl;
import dev.sluice.activities.platform.PlatformSourceActivitiesImpl;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.activities.units.UnitStoreActivitiesImpl;
import dev.sluice.activities.windows.LandingFileActivitiesImpl;
import dev.sluice.activities.windows.WebhookActivitiesImpl;
import dev.sluice.activities.windows.WindowJournalActivitiesImpl;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.workflows.permits.PermitActivitiesImpl;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.worker.Worker;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import okhttp3.OkHttpClient;

/**
 * Every activity a Sluice worker hosts, built once per worker around one {@link ProviderClients}
 * (HTTP client, JSON mapper, secrets, meters and the one token cache) and one Hadoop configuration.
 */
public final class ActivityLibrary {
  private final List<Object> implementations;

  private ActivityLibrary(List<Object> implementations) {
    this.implementations = implementations;
  }

  /**
   * Builds the library.
   *
   * @param environment where {@code ${env:NAME}} secret references and {@code HADOOP_CONF_DIR} are
   *     looked up (the process environment in production; an overlay in the embedded demo)
   * @param registry where activities count rows, bytes and HTTP responses
   */
  public static ActivityLibrary create(
      Function<String, String> environment, MeterRegistry registry) {
    OkHttpClient http = HttpClients.forWorker();
    ObjectMapper json = new ObjectMapper();
    HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration(environment));
    SecretResolver secrets = new SecretResolver(environment, hostName());
    // One per worker: every activity that talks to a provider shares its client and token cache.
    ProviderClients providers = new ProviderClients(http, json, secrets, registry);
    // One place chooses a table's format by its type: Parquet folders and Iceberg tables.
    IcebergCatalogs catalogs = new IcebergCatalogs(files.conf(), secrets);
    TableFormats formats =
        TableFormats.of(
            files,
            Clock.systemUTC(),
            Map.of(IcebergSink.class, new IcebergFormat(catalogs, files, Clock.systemUTC())));
    return new ActivityLibrary(
        List.of(
            new HttpJobActivitiesImpl(providers, files, formats),
            new ParquetSinkActivitiesImpl(files, formats),
            new PlatformBatchActivitiesImpl(providers, files),
            new PlatformSourceActivitiesImpl(providers, files, formats),
            new FileListingActivitiesImpl(providers, files),
            new FileDownloadActivitiesImpl(providers, files),
            new UnitStoreActivitiesImpl(providers, files, formats),
            new SourceFileActivitiesImpl(http, json, files),
            new LandingFileActivitiesImpl(http, json.getFactory(), files),
            new WebhookActivitiesImpl(http, json, secrets),
            new WindowJournalActivitiesImpl(json, files),
            new PermitActivitiesImpl(),
            new IcebergTableActivitiesImpl(catalogs, files, Clock.systemUTC())));
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  /** How many activity implementations {@link #registerOn} registers. */
  public int size() {
    return implementations.size();
  }

  /** Registers every activity on {@code worker}. */
  public void registerOn(Worker worker) {
    worker.registerActivitiesImplementations(implementations.toArray());
  }
}
