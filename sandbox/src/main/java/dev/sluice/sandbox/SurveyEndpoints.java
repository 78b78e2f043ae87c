package dev.sluice.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code GET /generic/surveys}: the list a work-unit pipeline reads first, {@code
 * {"surveys":[{"id":"S-001","title":"Survey 1"},…]}}, behind the {@code X-API-Key} header.
 */
final class SurveyEndpoints {
  private final SandboxConfig config;
  private final Surveys surveys;

  SurveyEndpoints(SandboxConfig config, Surveys surveys) {
    this.config = config;
    this.surveys = surveys;
  }

  void register(Router router) {
    router.route("GET", "/generic/surveys", this::list);
  }

  private Response list(Request request) {
    if (!config.apiKey().equals(request.header("X-API-Key"))) {
      return Response.error(401, "invalid api key");
    }
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("surveys");
    int n = 1;
    for (String id : surveys.ids()) {
      list.addObject().put("id", id).put("title", "Survey " + n++);
    }
    return Response.json(200, body);
  }
}
