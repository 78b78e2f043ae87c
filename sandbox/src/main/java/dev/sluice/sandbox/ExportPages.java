package dev.sluice.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.sandbox.ExportSpec.Format;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders one page of an export's data in its pagination style and format:
 *
 * <ul>
 *   <li>{@code next-url}: {@code {"data":[…],"links":{"next":"<absolute URL>"|null}}}
 *   <li>{@code cursor}: {@code {"result":{"items":[…]},"next_cursor":"…"|null}}, {@code ?cursor=}
 *   <li>{@code page}: {@code ?page=N&per_page=M} (from 1), a JSON array, empty past the end
 *   <li>{@code offset}: {@code ?offset=N&limit=M}, {@code {"records":[…]}}, NDJSON or CSV
 *   <li>{@code none}: everything, as a JSON array, NDJSON or CSV
 * </ul>
 *
 * <p>Every CSV page starts with its header line. {@code ?gzip=true} serves the page as a gzip file
 * download ({@code application/gzip}, no {@code Content-Encoding}).
 */
final class ExportPages {

  private final long seed;
  private final String baseUrl;

  ExportPages(long seed, String baseUrl) {
    this.seed = seed;
    this.baseUrl = baseUrl;
  }

  /**
   * @param knobs {@code malformed} corrupts the page (JSON loses its final closing bracket, CSV
   *     gains an unterminated quote); {@code ignorePageParameter} serves the first page whatever
   *     was asked; {@code loopBackAfterPage} makes that page's next link or cursor point at the
   *     page before it; {@code truncatedGzip} cuts a gzip download in half (and declares that
   *     length)
   * @throws HttpFailure 400 for a bad paging parameter
   */
  Response render(Export export, Request request, GenericKnobs knobs) {
    ExportSpec spec = export.spec();
    Paging paging = new Paging(knobs.ignorePageParameter(), knobs.loopBackAfterPage());
    byte[] body =
        switch (spec.pagination()) {
          case NEXT_URL -> nextUrlPage(export, request, paging);
          case CURSOR -> cursorPage(spec, request, paging);
          case PAGE -> numberedPage(spec, request, paging);
          case OFFSET -> offsetPage(spec, request, paging);
          case NONE -> unpaged(spec);
        };
    if (knobs.malformed()) {
      body = corrupt(spec.format(), body);
    }
    if (request.queryParam("gzip").filter("true"::equals).isPresent()) {
      String file =
          "export-" + export.id() + "." + spec.format().name().toLowerCase(Locale.ROOT) + ".gz";
      byte[] gzip = Gzip.compress(body);
      if (knobs.truncatedGzip()) {
        gzip = Arrays.copyOf(gzip, gzip.length / 2);
      }
      return new Response(
          200,
          "application/gzip",
          Map.of("Content-Disposition", "attachment; filename=\"" + file + "\""),
          gzip);
    }
    return new Response(200, spec.format().contentType, Map.of(), body);
  }

  /**
   * What a misbehaving provider answers with 200 in place of a data page: an HTML error page, an
   * empty body labelled as the export's format, or a CSV page ({@code text/csv}, whatever the
   * export's format) whose second record is broken.
   */
  static Response bad(GenericKnobs.BadPage kind, Format format) {
    return switch (kind) {
      case HTML ->
          new Response(
              200,
              "text/html;charset=UTF-8",
              Map.of(),
              ("<html>\n<head><title>502 Bad Gateway</title></head>\n"
                      + "<body><h1>502 Bad Gateway</h1></body>\n</html>\n")
                  .getBytes(StandardCharsets.UTF_8));
      case EMPTY -> new Response(200, format.contentType, Map.of(), new byte[0]);
      case INVALID_UTF8 -> brokenCsv("2,Caf\u00e9,", new byte[] {(byte) 0xc3, 0x28}, ",true,,");
      case SHORT_RECORD -> brokenCsv("2,short", new byte[0], "");
      case OVERSIZED_FIELD ->
          brokenCsv(
              "2,",
              "x".repeat(GenericKnobs.BadPage.OVERSIZED_FIELD_BYTES)
                  .getBytes(StandardCharsets.US_ASCII),
              ",1.0,true,2026-01-01T00:00:00Z,");
    };
  }

  /** The header, one good record, then {@code head}, {@code raw} bytes and {@code tail}. */
  private static Response brokenCsv(String head, byte[] raw, String tail) {
    byte[] start =
        (String.join(",", GenericData.FIELDS)
                + "\n1,ok,1.0,true,2026-01-01T00:00:00Z,\n"
                + head)
            .getBytes(StandardCharsets.UTF_8);
    byte[] end = (tail + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] body = Arrays.copyOf(start, start.length + raw.length + end.length);
    System.arraycopy(raw, 0, body, start.length, raw.length);
    System.arraycopy(end, 0, body, start.length + raw.length, end.length);
    return new Response(200, Format.CSV.contentType, Map.of(), body);
  }

  /** How the misbehaving-pagination knobs bend paging. */
  private record Paging(boolean ignoreParameter, int loopBackAfterPage) {
    /** The offset asked for, or 0 when the parameter is ignored. */
    int offset(int asked) {
      return ignoreParameter ? 0 : asked;
    }

    /** The offset of the page after the one at {@code offset}, as loopBackAfterPage bends it. */
    int next(int offset, int end, int pageSize) {
      if (loopBackAfterPage > 1 && offset == (loopBackAfterPage - 1) * pageSize) {
        return (loopBackAfterPage - 2) * pageSize;
      }
      return end;
    }
  }

  private byte[] nextUrlPage(Export export, Request request, Paging paging) {
    ExportSpec spec = export.spec();
    int offset = paging.offset(param(request, "offset", 0, 0));
    int end = end(spec, offset, spec.pageSize());
    ObjectNode page = Json.object().putPOJO("data", rows(spec, offset, end));
    page.putObject("links")
        .put(
            "next",
            end < spec.records()
                ? baseUrl
                    + export.uri()
                    + "/data?offset="
                    + paging.next(offset, end, spec.pageSize())
                : null);
    return Json.bytes(page);
  }

  private byte[] cursorPage(ExportSpec spec, Request request, Paging paging) {
    int offset =
        paging.offset(request.queryParam("cursor").map(c -> decodeCursor(c, spec)).orElse(0));
    int end = end(spec, offset, spec.pageSize());
    ObjectNode page = Json.object();
    page.putObject("result").putPOJO("items", rows(spec, offset, end));
    page.put(
        "next_cursor",
        end < spec.records() ? encodeCursor(paging.next(offset, end, spec.pageSize())) : null);
    return Json.bytes(page);
  }

  private byte[] numberedPage(ExportSpec spec, Request request, Paging paging) {
    int page = paging.ignoreParameter() ? 1 : param(request, "page", 1, 1);
    int perPage = param(request, "per_page", spec.pageSize(), 1);
    int offset = (int) Math.min(spec.records(), (page - 1L) * perPage);
    return Json.bytes(rows(spec, offset, end(spec, offset, perPage)));
  }

  private byte[] offsetPage(ExportSpec spec, Request request, Paging paging) {
    int offset = paging.offset(param(request, "offset", 0, 0));
    List<Map<String, Object>> rows =
        rows(spec, offset, end(spec, offset, param(request, "limit", spec.pageSize(), 1)));
    return spec.format() == Format.JSON
        ? Json.bytes(Map.of("records", rows))
        : flat(spec.format(), rows);
  }

  private byte[] unpaged(ExportSpec spec) {
    List<Map<String, Object>> rows = rows(spec, 0, spec.records());
    return spec.format() == Format.JSON ? Json.bytes(rows) : flat(spec.format(), rows);
  }

  private List<Map<String, Object>> rows(ExportSpec spec, int from, int to) {
    if (spec.dataset().equals(ExportSpec.ORDERS)) {
      return GenericOrders.rows(Math.min(from, spec.records()), to);
    }
    // A survey's export serves that survey's own rows (Surveys).
    return GenericData.rows(
        seed, spec.firstRow() + Math.min(from, spec.records()), spec.firstRow() + to);
  }

  private static int end(ExportSpec spec, int offset, int size) {
    return (int) Math.min(spec.records(), (long) offset + size);
  }

  private static byte[] flat(Format format, List<Map<String, Object>> rows) {
    if (format == Format.CSV) {
      return Csv.write(GenericData.FIELDS, rows).getBytes(StandardCharsets.UTF_8);
    }
    StringBuilder lines = new StringBuilder();
    rows.forEach(
        row -> lines.append(new String(Json.bytes(row), StandardCharsets.UTF_8)).append('\n'));
    return lines.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] corrupt(Format format, byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    if (format == Format.CSV) {
      return (text + "999,\"unterminated quote,1.0,true,2026-01-01T00:00:00Z,\n")
          .getBytes(StandardCharsets.UTF_8);
    }
    String trimmed = text.stripTrailing();
    String broken = trimmed.isEmpty() ? "{" : trimmed.substring(0, trimmed.length() - 1);
    return (broken + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static int param(Request request, String name, int fallback, int min) {
    int value = request.intParam(name, fallback, message -> Response.error(400, message));
    if (value < min) {
      throw new HttpFailure(Response.error(400, name + " must be >= " + min + ", got " + value));
    }
    return value;
  }

  /** Cursors are opaque to clients; here the Base64 of the next row offset. */
  private static String encodeCursor(int offset) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("o:" + offset).getBytes(StandardCharsets.US_ASCII));
  }

  private static int decodeCursor(String cursor, ExportSpec spec) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
      int offset = decoded.startsWith("o:") ? Integer.parseInt(decoded.substring(2)) : -1;
      if (offset >= 0 && offset <= spec.records()) {
        return offset;
      }
    } catch (IllegalArgumentException e) {
      // Not Base64, or not a number: reported below like any other unknown cursor.
    }
    throw new HttpFailure(Response.error(400, "invalid cursor '" + cursor + "'"));
  }
}
