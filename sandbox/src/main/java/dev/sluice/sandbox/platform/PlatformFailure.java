package dev.sluice.sandbox.platform;

/**
 * Thrown from deep inside an endpoint to answer with an error; {@link PlatformRoutes} writes {@link
 * #reply()} as is. The service error shape is an RFC 7807 problem ({@code
 * {"type","title","status","detail"}}), as Experience Platform's services answer; the API gateway's
 * authentication errors use {@code {"error_code","message"}} instead (see {@link Gateway}).
 */
final class PlatformFailure extends RuntimeException {

  private static final String TYPE_PREFIX = "http://ns.adobe.com/aep/errors/";
  private final transient Reply reply;

  PlatformFailure(Reply reply) {
    super("HTTP " + reply.status(), null, false, false);
    this.reply = reply;
  }

  Reply reply() {
    return reply;
  }

  static Reply problem(int status, String code, String title, String detail) {
    return Reply.json(
        status,
        Reply.object()
            .put("type", TYPE_PREFIX + code)
            .put("title", title)
            .put("status", status)
            .put("detail", detail));
  }

  static PlatformFailure badRequest(String detail) {
    return new PlatformFailure(problem(400, "SBX-1400-400", "Bad Request", detail));
  }

  static PlatformFailure notFound(String detail) {
    return new PlatformFailure(problem(404, "SBX-1404-404", "Not Found", detail));
  }

  static PlatformFailure conflict(String detail) {
    return new PlatformFailure(problem(409, "SBX-1409-409", "Conflict", detail));
  }
}
