package dev.sluice.sandbox.iceberg;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchViewException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.exceptions.UnprocessableEntityException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.rest.RESTSerializers;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.apache.iceberg.rest.responses.ErrorResponseParser;

/**
 * An answer of the REST catalog: a status and a JSON body (none for 204), or no answer at all
 * ({@link #LOST}: the connection is closed where the status line should be). Bodies are written as
 * the Iceberg REST OpenAPI spec has them: kebab-case properties, Iceberg's own serializers for
 * schemas, metadata and updates, and errors as {@code {"error": {"message", "type", "code"}}}.
 *
 * @param status the HTTP status
 * @param json the body, or null
 */
record RestReply(int status, String json) {

  /** The answer a lost response leaves: nothing (the connection is closed). */
  static final RestReply LOST = new RestReply(0, null);

  /** 204, no body: exists checks, drops, renames, metrics. */
  static final RestReply NO_CONTENT = new RestReply(204, null);

  /** As Iceberg's REST client reads and writes them (its RESTObjectMapper is not public). */
  static final ObjectMapper MAPPER = mapper();

  private static ObjectMapper mapper() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
    mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    mapper.setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE);
    RESTSerializers.registerAll(mapper);
    return mapper;
  }

  /** 200 with {@code value} as JSON. */
  static RestReply ok(Object value) {
    try {
      return new RestReply(200, MAPPER.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A request body as {@code type}; 400 (BadRequestException) when it is not one. */
  static <T> T read(byte[] body, Class<T> type) {
    try {
      return MAPPER.readValue(body, type);
    } catch (IOException | RuntimeException e) {
      throw new BadRequestException("malformed %s: %s", type.getSimpleName(), e.getMessage());
    }
  }

  /** The spec's error model: {@code type} is the exception's simple name, as clients switch on. */
  static RestReply error(int status, String type, String message) {
    ErrorResponse error =
        ErrorResponse.builder().responseCode(status).withType(type).withMessage(message).build();
    return new RestReply(status, ErrorResponseParser.toJson(error));
  }

  /**
   * The error a catalog exception is, per the spec's responses: 404 for a missing namespace or
   * table, 409 for a name taken, a failed commit requirement or a namespace not empty, 400 for a
   * bad request, 500 (with the exception's name) for anything else.
   */
  static RestReply error(RuntimeException e) {
    return error(status(e), e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
  }

  private static int status(RuntimeException e) {
    return STATUS.entrySet().stream()
        .filter(entry -> entry.getKey().isInstance(e))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(500);
  }

  // First match wins: subclasses (NoSuchIcebergTableException, ValidationException) before their
  // parents' catch-alls.
  private static final Map<Class<? extends RuntimeException>, Integer> STATUS = statuses();

  private static Map<Class<? extends RuntimeException>, Integer> statuses() {
    Map<Class<? extends RuntimeException>, Integer> m = new LinkedHashMap<>();
    m.put(NoSuchNamespaceException.class, 404);
    m.put(NoSuchTableException.class, 404);
    m.put(NoSuchViewException.class, 404);
    m.put(AlreadyExistsException.class, 409);
    m.put(CommitFailedException.class, 409);
    m.put(NamespaceNotEmptyException.class, 409);
    m.put(NotAuthorizedException.class, 401);
    m.put(ForbiddenException.class, 403);
    m.put(UnprocessableEntityException.class, 422);
    m.put(CommitStateUnknownException.class, 500);
    m.put(ValidationException.class, 400);
    m.put(BadRequestException.class, 400);
    m.put(IllegalArgumentException.class, 400);
    m.put(UnsupportedOperationException.class, 406);
    return m;
  }
}
