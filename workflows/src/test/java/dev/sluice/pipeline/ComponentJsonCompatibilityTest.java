package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import dev.sluice.workflows.asyncingest.AsyncIngestInput;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The typed auth, pagination and format records read the JSON the flat records wrote into workflow history
 * (every key of every type, nulls included), with Temporal's own mapper, and write JSON that reads
 * back the same.
 */
class ComponentJsonCompatibilityTest {
  private final ObjectMapper json = JacksonJsonPayloadConverter.newDefaultObjectMapper();

  private static String flatAuth(String type, String username, String password, String token,
      String key, String tokenUrl) {
    return """
        {"type":"%s","username":%s,"password":%s,"token":%s,"header":"X-API-Key","key":%s,\
        "tokenUrl":%s,"clientId":%s,"clientSecret":%s,"scope":null,\
        "refreshBefore":60.000000000,"defaultTtl":900.000000000}"""
        .formatted(
            type,
            quoted(username),
            quoted(password),
            quoted(token),
            quoted(key),
            quoted(tokenUrl),
            quoted(tokenUrl == null ? null : "id"),
            quoted(tokenUrl == null ? null : "${env:S}"));
  }

  private static String flatPagination(
      String type, String header, String param, String pointer, Integer start) {
    return """
        {"type":"%s","header":%s,"param":%s,"endValue":"null","pointer":%s,\
        "pageSizeParam":"maxRecords","pageSize":500,"start":%s,"maxPages":100000}"""
        .formatted(type, quoted(header), quoted(param), quoted(pointer), start);
  }

  /** A format as the flat record wrote it: every key of every type, the defaults filled in. */
  private static String flatFormat(String type, String delimiter, String recordsPath,
      String charset, boolean allowShortRecords) {
    return """
        {"type":"%s","delimiter":"%s","quote":"\\"","header":true,"recordsPath":"%s",\
        "charset":"%s","maxFieldSize":"32MB","allowShortRecords":%s,"allowMissingColumns":false}"""
        .formatted(type, delimiter, recordsPath, charset, allowShortRecords);
  }

  private static String quoted(String value) {
    return value == null ? "null" : "\"" + value + "\"";
  }

  @Test
  void givenFlatAuthOfEveryType_whenRead_thenEachIsItsTypedRecord() throws Exception {
    assertThat(json.readValue(flatAuth("none", null, null, null, null, null), AuthSpec.class))
        .isEqualTo(AuthSpec.NONE);
    assertThat(json.readValue(flatAuth("basic", "ada", "${env:PW}", null, null, null), AuthSpec.class))
        .isEqualTo(new AuthSpec.Basic("ada", "${env:PW}"));
    assertThat(json.readValue(flatAuth("bearer", null, null, "${env:T}", null, null), AuthSpec.class))
        .isEqualTo(new AuthSpec.Bearer("${env:T}"));
    assertThat(json.readValue(flatAuth("api-key", null, null, null, "${env:K}", null), AuthSpec.class))
        .isEqualTo(new AuthSpec.ApiKey("X-API-Key", "${env:K}"));
    assertThat(
            json.readValue(
                flatAuth("oauth2-client-credentials", null, null, null, null, "https://t/token"),
                AuthSpec.class))
        .isEqualTo(
            new AuthSpec.OAuth2ClientCredentials(
                "https://t/token", "id", "${env:S}", null, Duration.ofSeconds(60),
                Duration.ofMinutes(15)));
  }

  @Test
  void givenFlatPaginationOfEveryStyle_whenRead_thenEachIsItsTypedRecord() throws Exception {
    assertThat(read(flatPagination("none", null, null, null, 0)))
        .isEqualTo(new PaginationSpec.None("maxRecords", 500, null));
    assertThat(read(flatPagination("header-locator", "Sforce-Locator", "locator", null, 0)))
        .isEqualTo(
            new PaginationSpec.HeaderLocator(
                "Sforce-Locator", "locator", "null", "maxRecords", 500, null));
    assertThat(read(flatPagination("next-url", null, null, "/next", 0)))
        .isEqualTo(new PaginationSpec.NextUrl("/next", "maxRecords", 500, null));
    assertThat(read(flatPagination("cursor", null, "c", "/next", 0)))
        .isEqualTo(new PaginationSpec.Cursor("/next", "c", "maxRecords", 500, null));
    assertThat(read(flatPagination("page", null, "p", null, 1)))
        .isEqualTo(new PaginationSpec.Page("p", 1, "maxRecords", 500, null));
    assertThat(read(flatPagination("offset", null, "o", null, 0)))
        .isEqualTo(new PaginationSpec.Offset("o", 0, "maxRecords", 500, null));
  }

  @Test
  void givenFlatFormatOfEveryType_whenRead_thenEachIsItsTypedRecord() throws Exception {
    assertThat(json.readValue(flatFormat("csv", ",", "", "UTF-8", false), FormatSpec.class))
        .isEqualTo(FormatSpec.CSV);
    assertThat(json.readValue(flatFormat("csv", ";", "", "windows-1252", true), FormatSpec.class))
        .isEqualTo(new FormatSpec.Csv(";", "\"", true, "windows-1252", "32MB", true, false));
    assertThat(json.readValue(flatFormat("json", ",", "/data", "UTF-8", false), FormatSpec.class))
        .isEqualTo(FormatSpec.Json.at("/data"));
    assertThat(
            json.readValue(flatFormat("ndjson", ",", "", "ISO-8859-1", false), FormatSpec.class))
        .isEqualTo(new FormatSpec.Ndjson("ISO-8859-1", "32MB", null));
  }

  @Test
  void givenFormatWrittenBeforeTheStrictnessKeys_whenRead_thenTheirDefaultsApply()
      throws Exception {
    assertThat(
            json.readValue(
                "{\"type\":\"csv\",\"delimiter\":\",\",\"quote\":\"\\\"\",\"header\":true,"
                    + "\"recordsPath\":\"\"}",
                FormatSpec.class))
        .isEqualTo(FormatSpec.CSV);
  }

  @Test
  void givenOlderJsonWithoutNewKeys_whenRead_thenDefaultsApply() throws Exception {
    // Written before maxPages existed.
    assertThat(read("{\"type\":\"page\",\"param\":\"p\"}"))
        .isEqualTo(new PaginationSpec.Page("p", 1, null, null, PaginationSpec.DEFAULT_MAX_PAGES));
  }

  @Test
  void givenUnknownType_whenRead_thenRefused() {
    assertThatThrownBy(() -> json.readValue("{\"type\":\"kerberos\"}", AuthSpec.class))
        .isInstanceOf(InvalidTypeIdException.class);
    assertThatThrownBy(() -> read("{\"type\":\"link-header\"}"))
        .isInstanceOf(InvalidTypeIdException.class);
    assertThatThrownBy(() -> json.readValue("{\"type\":\"xml\"}", FormatSpec.class))
        .isInstanceOf(InvalidTypeIdException.class);
  }

  @Test
  void givenEveryTypedRecord_whenWrittenAndRead_thenTheSame() throws Exception {
    for (Object spec :
        new Object[] {
          AuthSpec.NONE,
          new AuthSpec.ApiKey(null, "${env:K}"),
          new AuthSpec.OAuth2ClientCredentials("https://t", "i", "${env:S}", "a b", null, null),
          PaginationSpec.NONE,
          new PaginationSpec.HeaderLocator("H", "p", null, null, null, null),
          new PaginationSpec.Offset("o", null, "limit", 10, 7),
          FormatSpec.CSV,
          new FormatSpec.Csv(";", "'", false, "ISO-8859-1", "1MB", true, true),
          FormatSpec.Json.at("/records"),
          FormatSpec.NDJSON
        }) {
      Class<?> family =
          spec instanceof AuthSpec
              ? AuthSpec.class
              : spec instanceof PaginationSpec ? PaginationSpec.class : FormatSpec.class;
      String written = json.writeValueAsString(spec);
      JsonNode tree = json.readTree(written);
      assertThat(tree.path("type").asText()).isEqualTo(Components.typeName(spec));
      List<String> keys = new ArrayList<>();
      tree.fieldNames().forEachRemaining(keys::add);
      assertThat(keys)
          .as("only the type and the record's own keys cross history")
          .containsExactlyInAnyOrderElementsOf(
              Stream.concat(Stream.of("type"), Components.keys(spec.getClass()).stream())
                  .toList());
      assertThat(json.readValue(written, family)).isEqualTo(spec);
    }
  }

  @Test
  void givenRecordedAsyncIngestHistory_whenItsInputIsRead_thenTheTypedComponentsComeBack()
      throws Exception {
    JsonNode history =
        json.readTree(
            Files.readString(
                Path.of("src/test/resources/histories/asyncingest-success.json")));
    String data =
        history
            .path("events")
            .get(0)
            .path("workflowExecutionStartedEventAttributes")
            .path("input")
            .path("payloads")
            .get(0)
            .path("data")
            .asText();
    AsyncIngestInput input =
        json.readValue(Base64.getDecoder().decode(data), AsyncIngestInput.class);

    // Recorded before upsertStage, replay and vars existed: their builder defaults.
    assertThat(input)
        .isEqualTo(
            AsyncIngestInput.newBuilder(input.pipeline()).setLogicalDate("2026-11-22").build());
    AsyncHttpSource source = (AsyncHttpSource) input.pipeline().source();
    assertThat(source.auth()).isEqualTo(AuthSpec.NONE);
    assertThat(source.extract().pagination()).isEqualTo(PaginationSpec.NONE);
    assertThat(source.extract().format()).isEqualTo(FormatSpec.CSV);
  }

  private PaginationSpec read(String text) throws Exception {
    return json.readValue(text, PaginationSpec.class);
  }
}
