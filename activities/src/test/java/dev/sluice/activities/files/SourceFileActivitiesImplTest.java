package dev.sluice.activities.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.TestServer;
import dev.sluice.activities.http.TestServer.Reply;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.FileMessages.StageFileRequest;
import dev.sluice.workflows.activities.FileMessages.StageFileResult;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.fileingest.FileIngestRequests;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import okhttp3.OkHttpClient;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A source file streamed into staged Parquet, from local files and over loopback HTTP. */
class SourceFileActivitiesImplTest {
  private static final String KEY = "file_orders_0123456789abcdef";

  @TempDir Path work;

  private final HadoopFiles files = new HadoopFiles(new Configuration());
  private final SourceFileActivitiesImpl activities =
      new SourceFileActivitiesImpl(
          new SourceFiles(new OkHttpClient(), files), new ObjectMapper(), files, Clock.systemUTC());

  @Test
  void givenLocalCsv_whenStaged_thenEveryRowIsInParquetNamedAfterTheRequest() throws Exception {
    Path csv = work.resolve("orders.csv");
    Files.writeString(csv, "id,amount\n1,10.5\n2,20\n3,\n");

    StageFileResult result = activities.stage(request(csv.toUri().toString(), "csv"), rows -> {});

    assertThat(result.rows()).isEqualTo(3);
    assertThat(result.files()).containsExactly("part-" + KEY + "-00000.parquet");
    assertThat(result.sourceBytes()).isEqualTo(Files.size(csv));
    assertThat(query(staging().resolve("*.parquet"), "id, amount"))
        .containsExactly(List.of("1", "10.5"), List.of("2", "20.0"), List.of("3", "null"));
  }

  @Test
  void givenGzippedNdjson_whenStaged_thenItIsGunzippedByExtension() throws Exception {
    Path file = work.resolve("events.ndjson.gz");
    Files.write(file, gzip("{\"id\":1,\"kind\":\"a\"}\n{\"id\":2,\"kind\":\"b\"}\n"));

    StageFileResult result =
        activities.stage(request(file.toUri().toString(), "ndjson"), rows -> {});

    assertThat(result.rows()).isEqualTo(2);
    assertThat(result.sourceBytes()).isEqualTo(Files.size(file));
    assertThat(query(staging().resolve("*.parquet"), "id, kind"))
        .containsExactly(List.of("1", "a"), List.of("2", "b"));
  }

  @Test
  void givenMalformedCsv_whenStaged_thenNonRetryableFailureNamesUriAndLineAndNothingStays()
      throws Exception {
    Path csv = work.resolve("bad.csv");
    Files.writeString(csv, "id,name\n1,ok\n2,\"unterminated\n");
    String uri = csv.toUri().toString();

    assertThatThrownBy(() -> activities.stage(request(uri, "csv"), rows -> {}))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureType.MALFORMED_DATA.type());
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage())
                  .startsWith(SourceFiles.describe(uri) + ": line 3: ");
            });
    assertThat(parquetFiles(staging())).isEmpty();
  }

  @Test
  void givenMissingLocalFile_whenStaged_thenSourceFileNotFoundIsNotRetried() {
    String uri = work.resolve("absent.csv").toUri().toString();

    assertThatThrownBy(() -> activities.stage(request(uri, "csv"), rows -> {}))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureType.SOURCE_FILE_NOT_FOUND.type());
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage()).contains("absent.csv").contains("no such file");
            });
  }

  @Test
  void givenJsonArrayOverHttp_whenStaged_thenRowsLandAndQueryIsNotInMessages() throws Exception {
    try (TestServer server = new TestServer()) {
      server.route(
          "/exports/users.json",
          call -> Reply.json(200, "[{\"id\":1,\"name\":\"ann\"},{\"id\":2,\"name\":\"bob\"}]"));
      StageFileResult result =
          activities.stage(
              request(server.url("/exports/users.json?sig=secret"), "json"), rows -> {});

      assertThat(result.rows()).isEqualTo(2);
      assertThat(query(staging().resolve("*.parquet"), "id, name"))
          .containsExactly(List.of("1", "ann"), List.of("2", "bob"));
    }
  }

  @Test
  void givenHttp404_whenStaged_thenSourceFileNotFoundWithoutTheQuery() {
    try (TestServer server = new TestServer()) {
      String uri = server.url("/missing.csv?token=secret");

      assertThatThrownBy(() -> activities.stage(request(uri, "csv"), rows -> {}))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> {
                assertThat(f.getType()).isEqualTo(FailureType.SOURCE_FILE_NOT_FOUND.type());
                assertThat(f.isNonRetryable()).isTrue();
                assertThat(f.getOriginalMessage())
                    .contains("/missing.csv answered HTTP 404")
                    .doesNotContain("secret");
              });
    }
  }

  @Test
  void givenHttp503_whenStaged_thenRetryableAfterTheServersRetryAfter() {
    try (TestServer server = new TestServer()) {
      server.route(
          "/busy.csv",
          call -> Reply.of(503, "text/plain", "try later").withHeader("Retry-After", "7"));

      assertThatThrownBy(() -> activities.stage(request(server.url("/busy.csv"), "csv"), r -> {}))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> {
                assertThat(f.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
                assertThat(f.isNonRetryable()).isFalse();
                assertThat(f.getNextRetryDelay()).hasSeconds(7);
              });
    }
  }

  @Test
  void givenConnectionDroppedMidFile_whenStaged_thenRetryableAndNoPartialFileStays()
      throws Exception {
    StringBuilder csv = new StringBuilder("id,name\n");
    for (int i = 0; i < 5000; i++) {
      csv.append(i).append(",name-").append(i).append('\n');
    }
    try (TestServer server = new TestServer()) {
      server.route(
          "/big.csv",
          call -> Reply.of(200, "text/csv", csv.toString()).truncatedFrom(csv.length() * 2L));

      assertThatThrownBy(() -> activities.stage(request(server.url("/big.csv"), "csv"), r -> {}))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> {
                assertThat(f.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
                assertThat(f.isNonRetryable()).isFalse();
              });
      assertThat(parquetFiles(staging())).isEmpty();
    }
  }

  @Test
  void givenAnEarlierAttemptsFiles_whenStagedAgain_thenTheyAreReplacedNotAdded() throws Exception {
    Path csv = work.resolve("orders.csv");
    Files.writeString(csv, "id\n1\n2\n");
    Files.createDirectories(staging());
    Files.writeString(staging().resolve("part-" + KEY + "-00007.parquet"), "half a file");

    StageFileResult result = activities.stage(request(csv.toUri().toString(), "csv"), rows -> {});

    assertThat(result.rows()).isEqualTo(2);
    assertThat(parquetFiles(staging())).containsExactly("part-" + KEY + "-00000.parquet");
  }

  private StageFileRequest request(String uri, String format) {
    String table = work.resolve("lake/orders").toUri().toString();
    var sink = FileIngestRequests.table(table);
    return new StageFileRequest(uri, format, KEY, sink, RunKeys.staging(sink, KEY));
  }

  private Path staging() {
    return work.resolve("lake/orders/_sluice/staging/" + KEY);
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private static List<String> parquetFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static List<List<String>> query(Path glob, String columns) throws SQLException {
    String sql = "SELECT " + columns + " FROM read_parquet('" + glob + "') ORDER BY ALL";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<List<String>> rows = new ArrayList<>();
      int width = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>(width);
        for (int i = 1; i <= width; i++) {
          row.add(String.valueOf(rs.getString(i)));
        }
        rows.add(row);
      }
      return rows;
    }
  }
}
