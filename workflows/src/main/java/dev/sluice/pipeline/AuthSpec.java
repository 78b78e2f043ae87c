package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import java.time.Duration;

/**
 * Authentication for every request of a source; {@code type} in YAML selects the record (default
 * {@code none}). String values may hold secret references ({@code ${env:NAME}}, {@code
 * ${file:/path}}), resolved only inside activities.
 *
 * <p>Each type is one record here, its defaults in its constructor and its needed keys marked
 * {@link Required}; {@code Authenticators.forSpec} (activities) runs it. JSON written when this was
 * one flat record (every key of every type, nulls included) still reads: {@code type} picks the
 * record and the keys of other types are ignored.
 */
// No defaultImpl: an unknown type must fail to read, never fall back to none. The pipeline
// loader writes the default type into a YAML object that leaves it out.
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(AuthSpec.None.class),
  @JsonSubTypes.Type(AuthSpec.Basic.class),
  @JsonSubTypes.Type(AuthSpec.Bearer.class),
  @JsonSubTypes.Type(AuthSpec.ApiKey.class),
  @JsonSubTypes.Type(AuthSpec.OAuth2ClientCredentials.class),
  @JsonSubTypes.Type(AuthSpec.OAuth2RefreshToken.class)
})
public sealed interface AuthSpec extends TypedComponent {

  /** No authentication. */
  AuthSpec NONE = new None();

  /** Requests go out as built. */
  @JsonTypeName("none")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record None() implements AuthSpec {}

  /**
   * HTTP basic authentication.
   *
   * @param username the user name
   * @param password the password (a secret reference)
   */
  @JsonTypeName("basic")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Basic(@Required String username, @Required @Secret String password) implements AuthSpec {}

  /**
   * {@code Authorization: Bearer <token>}.
   *
   * @param token the token (a secret reference)
   */
  @JsonTypeName("bearer")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Bearer(@Required @Secret String token) implements AuthSpec {}

  /**
   * A key sent in a request header.
   *
   * @param header the header carrying it (default {@value #DEFAULT_HEADER})
   * @param key the key (a secret reference)
   */
  @JsonTypeName("api-key")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record ApiKey(String header, @Required @Secret String key) implements AuthSpec {
    public static final String DEFAULT_HEADER = "X-API-Key";

    public ApiKey {
      header = header == null ? DEFAULT_HEADER : header;
    }
  }

  /**
   * OAuth 2 client credentials: a token fetched from {@code tokenUrl}, cached until shortly before
   * it expires.
   *
   * @param tokenUrl the token endpoint
   * @param clientId the client ID
   * @param clientSecret the client secret (a secret reference)
   * @param scope optional space-separated scopes
   * @param refreshBefore refresh a cached token this long before it expires (default 60s)
   * @param defaultTtl token lifetime when the endpoint gives no {@code expires_in} (Salesforce does
   *     not; default 15m)
   */
  @JsonTypeName("oauth2-client-credentials")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record OAuth2ClientCredentials(
      @Required String tokenUrl,
      @Required String clientId,
      @Required @Secret String clientSecret,
      String scope,
      Duration refreshBefore,
      Duration defaultTtl)
      implements AuthSpec {
    public static final Duration DEFAULT_REFRESH_BEFORE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);

    public OAuth2ClientCredentials {
      refreshBefore = refreshBefore == null ? DEFAULT_REFRESH_BEFORE : refreshBefore;
      defaultTtl = defaultTtl == null ? DEFAULT_TTL : defaultTtl;
    }
  }

  /**
   * OAuth 2 refresh-token grant (Login with Amazon for SP-API): an access token fetched from {@code
   * tokenUrl} with a long-lived refresh token, cached until shortly before it expires.
   *
   * @param tokenUrl the token endpoint
   * @param clientId the client ID
   * @param clientSecret the client secret (a secret reference)
   * @param refreshToken the refresh token (a secret reference)
   * @param tokenHeader the header carrying the access token (default {@value #DEFAULT_HEADER}, as
   *     {@code Bearer <token>}; any other header gets the bare token, e.g. SP-API's {@code
   *     x-amz-access-token})
   * @param refreshBefore refresh a cached token this long before it expires (default 60s)
   * @param defaultTtl token lifetime when the endpoint gives no {@code expires_in} (default 15m)
   */
  @JsonTypeName("oauth2-refresh-token")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record OAuth2RefreshToken(
      @Required String tokenUrl,
      @Required String clientId,
      @Required @Secret String clientSecret,
      @Required @Secret String refreshToken,
      String tokenHeader,
      Duration refreshBefore,
      Duration defaultTtl)
      implements AuthSpec {
    public static final String DEFAULT_HEADER = "Authorization";

    public OAuth2RefreshToken {
      tokenHeader = tokenHeader == null ? DEFAULT_HEADER : tokenHeader;
      refreshBefore =
          refreshBefore == null ? OAuth2ClientCredentials.DEFAULT_REFRESH_BEFORE : refreshBefore;
      defaultTtl = defaultTtl == null ? OAuth2ClientCredentials.DEFAULT_TTL : defaultTtl;
    }
  }
}
