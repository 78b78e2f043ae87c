package dev.sluice.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;

/** Error bodies in the REST API's documented shape: {@code [{"errorCode":…,"message":…}]}. */
final class SalesforceErrors {

  static final String INVALID_JOB = "INVALIDJOB";

  private SalesforceErrors() {}

  static Response response(int status, String errorCode, String message) {
    ArrayNode body = Json.MAPPER.createArrayNode();
    body.addObject().put("errorCode", errorCode).put("message", message);
    return Response.json(status, body);
  }

  static HttpFailure failure(int status, String errorCode, String message) {
    return new HttpFailure(response(status, errorCode, message));
  }

  static HttpFailure invalidJob(String message) {
    return failure(400, INVALID_JOB, message);
  }
}
