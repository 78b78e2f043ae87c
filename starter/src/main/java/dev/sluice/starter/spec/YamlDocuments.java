package dev.sluice.starter.spec;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reading and parsing the YAML files users write (pipelines, routes): strict UTF-8, syntax errors
 * at {@code FILE:line:column}, and a root that must be a mapping. Each failure is one {@link
 * Problem} that names the file and the place.
 */
public final class YamlDocuments {
  private YamlDocuments() {}

  /**
   * The text of {@code file}, decoded as strict UTF-8.
   *
   * @throws IOException when the file cannot be read
   * @throws PipelineValidationException when it is not UTF-8, naming the byte offset (and line) of
   *     the first byte that does not decode
   */
  public static String readUtf8(Path file) throws IOException, PipelineValidationException {
    byte[] bytes = Files.readAllBytes(file);
    // Files.readString would say only "Input length = 1": the decoder's own report says where.
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int offset = in.position();
      throw new PipelineValidationException(
          file.toString(),
          List.of(
              new Problem(
                  file.toString(),
                  String.format(
                      "the file is not UTF-8: byte 0x%02X at byte offset %d (line %d) does not"
                          + " decode; save it as UTF-8",
                      bytes[offset] & 0xFF,
                      offset,
                      lineAt(bytes, offset)))));
    }
    return out.flip().toString();
  }

  /**
   * Parses {@code text} into a tree whose root is a mapping.
   *
   * @param yaml the mapper to parse with
   * @param origin the file (or other source) the text came from, as shown to the user
   * @param keys the top-level keys such a document has, for the message when the root is not a
   *     mapping ({@code name:, source:, sink:})
   * @throws PipelineValidationException when the text does not parse, is empty, or its root is a
   *     list or a scalar
   */
  public static JsonNode parseMapping(ObjectMapper yaml, String text, String origin, String keys)
      throws PipelineValidationException {
    JsonNode document;
    try {
      document = yaml.readTree(text);
    } catch (JacksonException e) {
      throw new PipelineValidationException(origin, List.of(syntaxProblem(e, origin)));
    }
    if (document == null || document.isMissingNode() || document.isNull()) {
      throw new PipelineValidationException(
          origin, List.of(new Problem(origin, "the file is empty")));
    }
    if (!document.isObject()) {
      throw new PipelineValidationException(
          origin,
          List.of(
              new Problem(
                  rootPlace(yaml, text, origin),
                  "the document root must be a mapping of keys ("
                      + keys
                      + "), found "
                      + kind(document))));
    }
    return document;
  }

  private static Problem syntaxProblem(JacksonException e, String origin) {
    // SnakeYAML knows the precise position and a one-line description; Jackson's own message
    // repeats the document excerpt on several lines.
    if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      Mark problem = marked.getProblemMark();
      Mark context = marked.getContextMark();
      String message = marked.getProblem();
      if (marked.getContext() != null
          && context != null
          && context.getLine() != problem.getLine()) {
        // e.g. an unclosed quote: say where the quoted text started, not only where the file ended
        message += " (" + marked.getContext() + " started at line " + (context.getLine() + 1) + ")";
      }
      return new Problem(at(origin, problem.getLine() + 1, problem.getColumn() + 1), message);
    }
    JsonLocation location = e.getLocation();
    String message = e.getOriginalMessage().replaceFirst("^Duplicate field ", "duplicate key ");
    if (location == null || location.getLineNr() < 0) {
      return new Problem(origin, message);
    }
    return new Problem(at(origin, location.getLineNr(), location.getColumnNr()), message);
  }

  /** {@code FILE:line:column} of the document's first token, or {@code FILE} when unknown. */
  private static String rootPlace(ObjectMapper yaml, String text, String origin) {
    try (JsonParser parser = yaml.createParser(text)) {
      parser.nextToken();
      JsonLocation location = parser.currentTokenLocation();
      if (location != null && location.getLineNr() > 0) {
        return at(origin, location.getLineNr(), location.getColumnNr());
      }
    } catch (IOException e) {
      // It parsed once already; without a position the message still names the file.
    }
    return origin;
  }

  private static String kind(JsonNode node) {
    if (node.isArray()) {
      return "a list";
    }
    if (node.isTextual()) {
      return "a string";
    }
    if (node.isNumber()) {
      return "a number";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  private static int lineAt(byte[] bytes, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
  }

  private static String at(String origin, int line, int column) {
    return origin + ":" + line + ":" + column;
  }
}
