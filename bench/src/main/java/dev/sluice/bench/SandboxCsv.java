package dev.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Downloads the example pipeline's CSV result from the sandbox's Bulk API into one file (one header
 * line, then every page's rows), for DuckDB and for the parse-from-file variant.
 */
final class SandboxCsv {
  private static final String QUERY =
      "SELECT Id, FirstName, LastName, Email, Phone, Title, Description, AnnualRevenue,"
          + " NumberOfEmployees, HasOptedOutOfEmail, Birthdate, CreatedDate, SystemModstamp"
          + " FROM Contact WHERE SystemModstamp > 1970-01-01T00:00:00.000Z ORDER BY SystemModstamp";

  private final OkHttpClient http =
      new OkHttpClient.Builder().readTimeout(java.time.Duration.ofMinutes(2)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final String baseUrl;
  private final String clientId;
  private final String clientSecret;

  SandboxCsv(String baseUrl, String clientId, String clientSecret) {
    this.baseUrl = baseUrl;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
  }

  /** Submits a job, polls it, and writes its pages to {@code file}; returns the bytes written. */
  long download(Path file, int pageSize) {
    return download(file, pageSize, null);
  }

  /**
   * As {@link #download(Path, int)}, also keeping each page as the provider sent it (header line
   * included) in {@code pagesDir} as {@code page-00000.csv}, ... when it is not null: what {@link
   * PrerenderedServer} serves.
   */
  long download(Path file, int pageSize, Path pagesDir) {
    String token =
        field(
            call(
                new Request.Builder()
                    .url(baseUrl + "/services/oauth2/token")
                    .post(
                        new FormBody.Builder()
                            .add("grant_type", "client_credentials")
                            .add("client_id", clientId)
                            .add("client_secret", clientSecret)
                            .build())
                    .build(),
                null),
            "access_token");
    String jobs = baseUrl + "/services/data/v62.0/jobs/query";
    String id =
        field(
            call(
                new Request.Builder()
                    .url(jobs)
                    .post(
                        RequestBody.create(
                            "{\"operation\":\"query\",\"query\":\"" + QUERY + "\"}",
                            MediaType.get("application/json")))
                    .build(),
                token),
            "id");
    while (!field(call(new Request.Builder().url(jobs + "/" + id).build(), token), "state")
        .equals("JobComplete")) {
      sleep(100);
    }
    long bytes = 0;
    String locator = null;
    try (OutputStream out = Files.newOutputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      boolean first = true;
      int pageNumber = 0;
      if (pagesDir != null) {
        Files.createDirectories(pagesDir);
      }
      do {
        HttpUrl.Builder url =
            HttpUrl.get(jobs + "/" + id + "/results")
                .newBuilder()
                .addQueryParameter("maxRecords", Integer.toString(pageSize));
        if (locator != null) {
          url.addQueryParameter("locator", locator);
        }
        try (Response response =
            http.newCall(
                    new Request.Builder()
                        .url(url.build())
                        .header("Authorization", "Bearer " + token)
                        .build())
                .execute()) {
          if (!response.isSuccessful()) {
            throw new IllegalStateException("results: HTTP " + response.code());
          }
          locator = response.header("Sforce-Locator");
          InputStream in = response.body().byteStream();
          if (pagesDir != null) {
            Path page = pagesDir.resolve(String.format("page-%05d.csv", pageNumber++));
            Files.copy(in, page);
            in = Files.newInputStream(page);
          }
          if (!first) {
            int c;
            do {
              c = in.read(); // every page repeats the header line: keep only the first
            } while (c != '\n' && c != -1);
          }
          first = false;
          int n;
          while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
            bytes += n;
          }
          in.close();
        }
      } while (locator != null && !locator.equals("null"));
      call(new Request.Builder().url(jobs + "/" + id).delete().build(), token);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes;
  }

  private JsonNode call(Request request, String token) {
    Request r =
        token == null
            ? request
            : request.newBuilder().header("Authorization", "Bearer " + token).build();
    try (Response response = http.newCall(r).execute()) {
      if (!response.isSuccessful()) {
        throw new IllegalStateException(r.method() + " " + r.url() + ": HTTP " + response.code());
      }
      String body = response.body().string();
      return body.isEmpty() ? json.createObjectNode() : json.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String field(JsonNode node, String name) {
    return node.path(name).asText();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
