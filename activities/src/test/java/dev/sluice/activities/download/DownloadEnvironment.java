package dev.sluice.activities.download;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.ProviderClients;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.workflows.filedownload.FileDownloadActivities;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesResult;
import dev.sluice.workflows.filedownload.FileDownloadMessages.ListFilesRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.ListFilesResult;
import dev.sluice.workflows.filedownload.FileListingActivities;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;

/**
 * The real listing and download activities of one worker in a test activity environment: one
 * attempt per call (tests decide what a retry resumes from), heartbeats recorded.
 */
final class DownloadEnvironment implements AutoCloseable {
  final TestActivityEnvironment env = TestActivityEnvironment.newInstance();
  final List<RangeCheckpoint> heartbeats = new CopyOnWriteArrayList<>();
  final HadoopFiles files;
  private final FileListingActivities listing;
  private final FileDownloadActivities downloads;

  DownloadEnvironment(Map<String, String> environment) {
    this(new HadoopFiles(HadoopFiles.defaultConfiguration()), environment);
  }

  DownloadEnvironment(HadoopFiles files, Map<String, String> environment) {
    this.files = files;
    OkHttpClient client = new OkHttpClient();
    ObjectMapper json = new ObjectMapper();
    SecretResolver secrets = new SecretResolver(environment::get, "download-test-worker");
    ProviderClients providers = new ProviderClients(client, json, secrets, new SimpleMeterRegistry());
    env.registerActivitiesImplementations(
        new FileListingActivitiesImpl(providers, files),
        new FileDownloadActivitiesImpl(providers, files));
    env.setActivityHeartbeatListener(RangeCheckpoint.class, heartbeats::add);
    ActivityOptions once =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(30))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build();
    listing = env.newActivityStub(FileListingActivities.class, once);
    downloads = env.newActivityStub(FileDownloadActivities.class, once);
  }

  ListFilesResult list(ListFilesRequest request) {
    return listing.listSourceFiles(request);
  }

  DownloadFilesResult download(DownloadFilesRequest request) {
    return downloads.downloadListedFiles(request);
  }

  /** The next call starts as a retry whose last attempt heartbeated {@code checkpoint}. */
  void resumeFrom(RangeCheckpoint checkpoint) {
    env.setHeartbeatDetails(checkpoint);
  }

  @Override
  public void close() {
    env.close();
  }
}
