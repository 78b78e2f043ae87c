package dev.sluice.starter.iceberg;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * One bucket on an S3 API server in this JVM (s3proxy over jclouds' in-memory blob store, SigV4 on,
 * loopback only), as activities' S3A tests run it; with the Hadoop settings a worker's {@code
 * core-site.xml} would hold for it.
 */
final class S3Bucket implements AutoCloseable {
  static final String ACCESS_KEY = "sluice-test-access";
  static final String SECRET_KEY = "sluice-test-secret";

  private final BlobStoreContext context;
  private final S3Proxy proxy;
  final String bucket;

  private S3Bucket(BlobStoreContext context, S3Proxy proxy, String bucket) {
    this.context = context;
    this.proxy = proxy;
    this.bucket = bucket;
  }

  static S3Bucket start(String bucket) throws Exception {
    BlobStoreContext context =
        ContextBuilder.newBuilder("transient")
            .credentials("identity", "credential")
            .overrides(new Properties())
            .build(BlobStoreContext.class);
    context.getBlobStore().createContainerInLocation(null, bucket);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.onSpinWait(); // Jetty's start() returns before the connector reports STARTED
    }
    return new S3Bucket(context, proxy, bucket);
  }

  String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /** {@code s3a://<bucket>/<path>}. */
  String uri(String path) {
    return "s3a://" + bucket + "/" + path;
  }

  /** S3A's settings for this server: path-style, plain HTTP, a region, static keys. */
  Map<String, String> hadoop() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("fs.s3a.endpoint", endpoint());
    conf.put("fs.s3a.endpoint.region", "us-east-1");
    conf.put("fs.s3a.path.style.access", "true");
    conf.put("fs.s3a.connection.ssl.enabled", "false");
    conf.put(
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    conf.put("fs.s3a.access.key", ACCESS_KEY);
    conf.put("fs.s3a.secret.key", SECRET_KEY);
    conf.put("fs.s3a.attempts.maximum", "2");
    conf.put("fs.s3a.retry.limit", "2");
    return conf;
  }

  /**
   * pyiceberg's FileIO properties for this server ({@code --prop} of deploy/iceberg-read.py):
   * path-style, the same keys and region. pyarrow's S3 client reads {@code s3a://} locations.
   */
  String[] pyiceberg() {
    return new String[] {
      "s3.endpoint=" + endpoint(),
      "s3.access-key-id=" + ACCESS_KEY,
      "s3.secret-access-key=" + SECRET_KEY,
      "s3.region=us-east-1",
      "s3.force-virtual-addressing=false"
    };
  }

  Configuration configuration() {
    Configuration conf = new Configuration();
    hadoop().forEach(conf::set);
    return conf;
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    context.close();
  }
}
