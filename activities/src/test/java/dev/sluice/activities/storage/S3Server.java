package dev.sluice.activities.storage;

import java.net.URI;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3 API server in this JVM, on a free port of 127.0.0.1: s3proxy in front of jclouds' in-memory
 * ("transient") blob store, with SigV4 authentication on, so S3A talks to it exactly as to AWS
 * (signed requests, path-style URLs, plain HTTP).
 */
final class S3Server implements AutoCloseable {
  /** Test credentials; they reach S3A only through the Hadoop configuration, as on a worker. */
  static final String ACCESS_KEY = "sluice-test-access";

  static final String SECRET_KEY = "sluice-test-secret";

  private final BlobStoreContext context;
  private final S3Proxy proxy;

  private S3Server(BlobStoreContext context, S3Proxy proxy) {
    this.context = context;
    this.proxy = proxy;
  }

  /** Starts the server with empty {@code buckets}. */
  static S3Server start(String... buckets) throws Exception {
    BlobStoreContext context =
        ContextBuilder.newBuilder("transient")
            .credentials("identity", "credential")
            .overrides(new Properties())
            .build(BlobStoreContext.class);
    BlobStore store = context.getBlobStore();
    for (String bucket : buckets) {
      store.createContainerInLocation(null, bucket);
    }
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.onSpinWait(); // Jetty's start() returns before the connector reports STARTED
    }
    return new S3Server(context, proxy);
  }

  void createBucket(String bucket) {
    context.getBlobStore().createContainerInLocation(null, bucket);
  }

  String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /**
   * The settings a worker's {@code core-site.xml} would hold for this endpoint: path-style access
   * (no bucket-name DNS), plain HTTP, a region so the SDK does not probe for one, and static keys.
   */
  Configuration configuration() {
    Configuration conf = new Configuration();
    conf.set("fs.s3a.endpoint", endpoint());
    conf.set("fs.s3a.endpoint.region", "us-east-1");
    conf.setBoolean("fs.s3a.path.style.access", true);
    conf.setBoolean("fs.s3a.connection.ssl.enabled", false);
    conf.set(
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    conf.set("fs.s3a.access.key", ACCESS_KEY);
    conf.set("fs.s3a.secret.key", SECRET_KEY);
    // Fail fast instead of S3A's minutes of retries when the test server misbehaves.
    conf.setInt("fs.s3a.attempts.maximum", 2);
    conf.setInt("fs.s3a.retry.limit", 2);
    return conf;
  }

  /** Closes the cached S3A client of {@code bucket} and stops the server. */
  void close(Configuration conf, String bucket) throws Exception {
    FileSystem.get(URI.create("s3a://" + bucket + "/"), conf).close();
    close();
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    context.close();
  }
}
