package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import java.util.List;

/**
 * Where a ready job's result is ({@code extract.result}); {@code type} selects the shape (default
 * {@code template}).
 *
 * <ul>
 *   <li>{@code template}: the URL is {@code extract.url}, a template over the run's variables,
 *       {@code ${submit:/pointer}} and {@code ${status:/pointer}} (today's behaviour).
 *   <li>{@code url}: one URL named by the provider's answers: {@code url} is a template over
 *       {@code ${status:/pointer}} (the final status answer, asked for again by the extract),
 *       {@code ${submit:/pointer}} and, after {@code resolve} steps, {@code ${resolved:/pointer}}
 *       (the last step's answer), e.g. SP-API's {@code getReportDocument}.
 *   <li>{@code urls}: several result files, downloaded in parallel: a list at {@code pointer} in
 *       the last answer (the last resolve step's, else the status answer), of URLs or of objects
 *       whose {@code urlPointer} holds one; {@code nextPointer} follows a list that goes on in
 *       another answer (Salesforce's {@code resultPages}).
 *   <li>{@code partitions}: N partitions downloaded in parallel: the count at {@code count} (a
 *       number, or an array whose size is the count, e.g. Snowflake's {@code
 *       /resultSetMetaData/partitionInfo}) and {@code url} a template over {@code ${partition}}
 *       (0 to N-1).
 * </ul>
 *
 * Every type has {@code authorization}: which result requests get the source's authentication.
 * {@code same-host} (default): only those to the host of the status request, so a pre-signed URL
 * on S3 or GCS never gets a credential; {@code always}; {@code never}.
 */
// No defaultImpl: an unknown type must fail to read. The loader writes the default type in.
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(ResultSpec.Template.class),
  @JsonSubTypes.Type(ResultSpec.Url.class),
  @JsonSubTypes.Type(ResultSpec.Urls.class),
  @JsonSubTypes.Type(ResultSpec.Partitions.class)
})
public sealed interface ResultSpec extends TypedComponent {

  /** The result at {@code extract.url}, authenticated on the provider's host. */
  ResultSpec TEMPLATE = new Template(null);

  /** Only requests to the status request's host are authenticated. */
  String SAME_HOST = "same-host";

  /** Every result request is authenticated. */
  String ALWAYS = "always";

  /** No result request is authenticated. */
  String NEVER = "never";

  /** {@code same-host}, {@code always} or {@code never}. */
  String authorization();

  /**
   * A result named by the provider's answers ({@code url}, {@code urls}, {@code partitions}):
   * asked for again inside the extract, after its {@code resolve} steps.
   */
  sealed interface Named extends ResultSpec {
    /** GETs sent in order before the result is read from the last answer. */
    List<RequestSpec> resolve();

    /** Pointer of the result's compression in the last answer, or null. */
    String compressionPointer();

    /** Regex over a 400/403 body meaning the URL expired. */
    String expiredWhen();

    /** Most fresh URLs one extract attempt asks for. */
    Integer maxRefreshes();
  }

  /** A result in parts ({@code urls}, {@code partitions}), each downloaded by its own activity. */
  sealed interface Parts extends Named {
    /** Most parts downloaded at once when {@code maxParallel} is not set. */
    int DEFAULT_MAX_PARALLEL = 4;

    /** The template variable of {@code partitions}' {@code url}: the partition's index. */
    String PARTITION = "partition";

    /** Most parts downloaded at once. */
    Integer maxParallel();
  }

  /** {@code template}: the result is at {@code extract.url}. */
  @JsonTypeName("template")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Template(String authorization) implements ResultSpec {
    public Template {
      authorization = authorization == null ? SAME_HOST : authorization;
    }
  }

  /**
   * {@code url}: one URL taken from the provider's answers.
   *
   * @param url template of the result's URL
   * @param resolve GETs sent in order before it; each answer (JSON) is {@code ${resolved:/ptr}} of
   *     the next step and, for the last one, of {@code url} and {@code compressionPointer}
   * @param compressionPointer pointer, into the last answer (the last resolve step's, else the
   *     status answer), of the result's compression ({@code GZIP}); absent or null there: {@code
   *     extract.compression} decides
   * @param authorization see {@link ResultSpec}
   * @param expiredWhen a 400 or 403 whose body matches this regex means the URL expired: the
   *     extract asks for the status again, resolves a fresh URL and goes on from the page it
   *     stopped at (default {@value #DEFAULT_EXPIRED_WHEN}, S3's AccessDenied)
   * @param maxRefreshes most fresh URLs one extract attempt asks for (default {@value
   *     #DEFAULT_MAX_REFRESHES}); one more expiry fails the run ({@code ResultUrlExpired})
   * @param expiresAtPointer pointer, into the last answer, of when the URL expires (ISO-8601, or
   *     epoch seconds), e.g. Amazon Ads' {@code /urlExpiresAt}: the extract asks for a fresh URL
   *     before sending a request that would reach it expired or about to expire; absent or null
   *     there: only an answer matching {@code expiredWhen} says so
   */
  @JsonTypeName("url")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Url(
      @Required String url,
      List<RequestSpec> resolve,
      String compressionPointer,
      String authorization,
      String expiredWhen,
      Integer maxRefreshes,
      String expiresAtPointer)
      implements Named {
    public static final String DEFAULT_EXPIRED_WHEN = "Request has expired";
    public static final int DEFAULT_MAX_REFRESHES = 5;

    public Url {
      resolve = resolve == null ? List.of() : List.copyOf(resolve);
      authorization = authorization == null ? SAME_HOST : authorization;
      expiredWhen = expiredWhen == null ? DEFAULT_EXPIRED_WHEN : expiredWhen;
      maxRefreshes = maxRefreshes == null ? DEFAULT_MAX_REFRESHES : maxRefreshes;
    }
  }

  /**
   * {@code urls}: the result files listed in the last answer, downloaded in parallel; the other
   * keys as for {@link Url}.
   *
   * @param pointer where the list is (an array; empty fails the run)
   * @param urlPointer pointer, into each element, of its URL; null: each element is the URL
   * @param nextPointer pointer of the URL of an answer that continues the list (null or absent
   *     there ends it); null: one answer holds the whole list
   * @param maxParallel most parts downloaded at once (default {@value #DEFAULT_MAX_PARALLEL})
   */
  @JsonTypeName("urls")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Urls(
      @Required String pointer,
      String urlPointer,
      String nextPointer,
      List<RequestSpec> resolve,
      String compressionPointer,
      String authorization,
      String expiredWhen,
      Integer maxRefreshes,
      Integer maxParallel)
      implements Parts {
    public Urls {
      resolve = resolve == null ? List.of() : List.copyOf(resolve);
      authorization = authorization == null ? SAME_HOST : authorization;
      expiredWhen = expiredWhen == null ? Url.DEFAULT_EXPIRED_WHEN : expiredWhen;
      maxRefreshes = maxRefreshes == null ? Url.DEFAULT_MAX_REFRESHES : maxRefreshes;
      maxParallel = maxParallel == null ? DEFAULT_MAX_PARALLEL : maxParallel;
    }
  }

  /**
   * {@code partitions}: N partitions of one result, downloaded in parallel; the other keys as for
   * {@link Url}.
   *
   * @param count pointer of the partition count: a number, or an array whose size it is
   * @param url template of partition {@code ${partition}}'s URL (0 to N-1)
   * @param maxParallel most parts downloaded at once (default {@value #DEFAULT_MAX_PARALLEL})
   */
  @JsonTypeName("partitions")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Partitions(
      @Required String count,
      @Required String url,
      Integer maxParallel,
      List<RequestSpec> resolve,
      String compressionPointer,
      String authorization,
      String expiredWhen,
      Integer maxRefreshes)
      implements Parts {
    public Partitions {
      maxParallel = maxParallel == null ? DEFAULT_MAX_PARALLEL : maxParallel;
      resolve = resolve == null ? List.of() : List.copyOf(resolve);
      authorization = authorization == null ? SAME_HOST : authorization;
      expiredWhen = expiredWhen == null ? Url.DEFAULT_EXPIRED_WHEN : expiredWhen;
      maxRefreshes = maxRefreshes == null ? Url.DEFAULT_MAX_REFRESHES : maxRefreshes;
    }
  }
}
