package dev.sluice.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An S3 bucket behind pre-signed GET URLs (query-string SigV4: {@code X-Amz-Algorithm}, {@code
 * X-Amz-Credential}, {@code X-Amz-Date}, {@code X-Amz-Expires}, {@code X-Amz-SignedHeaders}, {@code
 * X-Amz-Signature}), on its own listener so that it is another host than the API that hands the
 * URLs out. As S3 does, it answers with XML errors:
 *
 * <ul>
 *   <li>403 {@code AccessDenied} "Request has expired" once {@code X-Amz-Expires} seconds have
 *       passed since {@code X-Amz-Date}, or after {@link #expireIssued()};
 *   <li>403 {@code SignatureDoesNotMatch} when the query was altered (a longer expiry, say);
 *   <li>400 {@code InvalidArgument} "Only one auth mechanism allowed" when the request also carries
 *       an {@code Authorization} header;
 *   <li>404 {@code NoSuchKey}, 416 {@code InvalidRange}.
 * </ul>
 *
 * Every object answer carries {@code ETag} (the MD5 of the object, quoted, as S3 gives for an object
 * uploaded in one part), {@code Last-Modified} and {@code Accept-Ranges: bytes}, and the stored
 * bytes as they are (S3 never compresses on the fly). A {@code Range: bytes=N-} or {@code
 * bytes=N-M} request gets 206 with {@code Content-Range}, so a client can resume a download with a
 * fresh URL. As on S3, a URL's expiry is checked when a request arrives: a download under way goes
 * on. {@link #expireAfterBytes} cuts the next download after N bytes and expires the URL it came
 * by, so the client's next request with it is refused: an expiry landing in the middle of a body.
 * Requests carrying credentials ({@code Authorization} or {@code x-amz-access-token}) are counted:
 * a test proves none reached it; so are the body bytes sent ({@link #bytesServed}).
 */
final class PresignedBucket {

  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
  private static final String ACCESS_KEY = "ASIASANDBOXS3ACCESS";
  private static final byte[] SIGNING_KEY =
      "sandbox-s3-signing-key".getBytes(StandardCharsets.UTF_8);

  private final String baseUrl;
  private final String bucket;
  private final Clock clock;
  private final Map<String, StoredObject> objects = new ConcurrentHashMap<>();
  private final AtomicLong cutNextAfter = new AtomicLong(-1);
  private final Set<String> revoked = ConcurrentHashMap.newKeySet();
  private final Set<String> issued = ConcurrentHashMap.newKeySet();
  private final AtomicLong serial = new AtomicLong();
  final LongAdder downloads = new LongAdder();
  final LongAdder expiredRefusals = new LongAdder();
  final LongAdder credentialsSeen = new LongAdder();
  final LongAdder bytesServed = new LongAdder();
  final AtomicLong lastStoredSize = new AtomicLong();

  /** An object as stored: its bytes, content type, ETag and Last-Modified. */
  private record StoredObject(byte[] content, String contentType, String etag, String modified) {}

  PresignedBucket(String baseUrl, String bucket, Clock clock) {
    this.baseUrl = baseUrl;
    this.bucket = bucket;
    this.clock = clock;
  }

  /** Stores {@code content} (of {@code contentType}) at {@code key}, modified now. */
  void put(String key, byte[] content, String contentType) {
    String etag;
    try {
      etag =
          "\""
              + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content))
              + "\"";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("MD5 is required of every JDK", e);
    }
    lastStoredSize.set(content.length);
    objects.put(
        key,
        new StoredObject(
            content.clone(),
            contentType,
            etag,
            DateTimeFormatter.RFC_1123_DATE_TIME.format(
                clock.instant().atOffset(ZoneOffset.UTC))));
  }

  /**
   * The next download (200 or 206) sends only {@code bytes} bytes of its body before its connection
   * is cut, and the URL it came by expires at once: the client's next request with that URL gets
   * 403 "Request has expired", as it would on S3 had the URL's lifetime run out meanwhile.
   */
  void expireAfterBytes(long bytes) {
    cutNextAfter.set(bytes);
  }

  /** A URL that reads {@code key} for {@code ttl} (whole seconds, at least one) from now. */
  String presign(String key, Duration ttl) {
    Instant now = clock.instant();
    long seconds = Math.max(1, ttl.toSeconds());
    String date = AMZ_DATE.format(now);
    // Temporary credentials sign each URL, as the real report URLs are (X-Amz-Security-Token):
    // two URLs issued in the same second still differ, so expiring one spares the other.
    String session = "SANDBOXSESSION" + serial.incrementAndGet();
    String signature = sign(key, date, seconds, session);
    issued.add(signature);
    return baseUrl
        + "/"
        + bucket
        + "/"
        + key
        + "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        + "&X-Amz-Credential="
        + ACCESS_KEY
        + "%2F"
        + date.substring(0, 8)
        + "%2Fus-east-1%2Fs3%2Faws4_request"
        + "&X-Amz-Date="
        + date
        + "&X-Amz-Expires="
        + seconds
        + "&X-Amz-Security-Token="
        + session
        + "&X-Amz-SignedHeaders=host"
        + "&X-Amz-Signature="
        + signature;
  }

  /** Every URL handed out so far is expired from now on; later ones are not. */
  void expireIssued() {
    revoked.addAll(issued);
  }

  void clear() {
    objects.clear();
    cutNextAfter.set(-1);
    bytesServed.reset();
    issued.clear();
    revoked.clear();
    downloads.reset();
    expiredRefusals.reset();
    credentialsSeen.reset();
  }

  /** Routes {@code GET /<bucket>/<key>} under the kind {@code object}. */
  void register(Router router) {
    router.route("GET", "/" + Pattern.quote(bucket) + "/(.+)", "object", this::get);
  }

  private Response get(Request request) {
    boolean authorization = request.header("Authorization") != null;
    if (authorization || request.header("x-amz-access-token") != null) {
      credentialsSeen.increment();
    }
    if (authorization) {
      throw failure(
          400,
          "InvalidArgument",
          "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature"
              + " query string parameter or the Authorization header should be specified",
          "<ArgumentName>Authorization</ArgumentName>");
    }
    String key = request.pathParam(1);
    String date = request.queryParam("X-Amz-Date").orElse("");
    String expires = request.queryParam("X-Amz-Expires").orElse("");
    String signature = request.queryParam("X-Amz-Signature").orElse("");
    if (!"AWS4-HMAC-SHA256".equals(request.queryParam("X-Amz-Algorithm").orElse(null))
        || !expires.matches("\\d{1,6}")
        || !date.matches("\\d{8}T\\d{6}Z")) {
      throw failure(
          403,
          "AccessDenied",
          "Query-string authentication requires the X-Amz-Algorithm,"
              + " X-Amz-Date, X-Amz-Expires and X-Amz-Signature parameters",
          "");
    }
    String session = request.queryParam("X-Amz-Security-Token").orElse("");
    if (!sign(key, date, Long.parseLong(expires), session).equals(signature)) {
      throw failure(
          403,
          "SignatureDoesNotMatch",
          "The request signature we calculated does not match the signature you provided. Check"
              + " your key and signing method.",
          "");
    }
    Instant expiry = AMZ_DATE.parse(date, Instant::from).plusSeconds(Long.parseLong(expires));
    Instant now = clock.instant();
    if (!now.isBefore(expiry) || revoked.contains(signature)) {
      expiredRefusals.increment();
      throw failure(
          403,
          "AccessDenied",
          "Request has expired",
          "<X-Amz-Expires>"
              + expires
              + "</X-Amz-Expires><Expires>"
              + expiry
              + "</Expires><ServerTime>"
              + now
              + "</ServerTime>");
    }
    StoredObject object = objects.get(key);
    if (object == null) {
      throw failure(
          404, "NoSuchKey", "The specified key does not exist.", "<Key>" + key + "</Key>");
    }
    downloads.increment();
    Response response = slice(object, request.header("Range"));
    long cut = cutNextAfter.getAndSet(-1);
    if (cut >= 0 && cut < response.body().length) {
      revoked.add(signature);
      bytesServed.add(cut);
      return response.withHeader(Router.CUT_AFTER, Long.toString(cut));
    }
    bytesServed.add(response.body().length);
    return response;
  }

  private static Response slice(StoredObject object, String range) {
    byte[] content = object.content();
    Map<String, String> headers =
        Map.of("Accept-Ranges", "bytes", "ETag", object.etag(), "Last-Modified", object.modified());
    if (range == null) {
      return new Response(200, object.contentType(), headers, content);
    }
    Matcher m = RANGE.matcher(range.trim());
    long from = m.matches() ? Long.parseLong(m.group(1)) : -1;
    if (from < 0 || from >= content.length) {
      throw failure(416, "InvalidRange", "The requested range is not satisfiable", "");
    }
    long to =
        m.group(2).isEmpty()
            ? content.length - 1
            : Math.min(content.length - 1, Long.parseLong(m.group(2)));
    byte[] part = java.util.Arrays.copyOfRange(content, (int) from, (int) to + 1);
    return new Response(206, object.contentType(), headers, part)
        .withHeader("Content-Range", "bytes " + from + "-" + to + "/" + content.length);
  }

  private static HttpFailure failure(int status, String code, String message, String extra) {
    return new HttpFailure(
        Response.text(status, "application/xml", xmlError(code, message, extra)));
  }

  /** S3's error document. */
  static String xmlError(String code, String message, String extra) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
        + code
        + "</Code><Message>"
        + message
        + "</Message>"
        + extra
        + "<RequestId>SANDBOX0000000000</RequestId><HostId>sandbox</HostId></Error>";
  }

  private String sign(String key, String date, long expires, String session) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SIGNING_KEY, "HmacSHA256"));
      String canonical =
          String.join("\n", "GET", "/" + bucket + "/" + key, date, Long.toString(expires), session);
      return HexFormat.of().formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
    }
  }
}
