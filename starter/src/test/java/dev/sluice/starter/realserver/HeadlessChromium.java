package dev.sluice.starter.realserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Debian's headless Chromium driven over the DevTools protocol (the JDK's own WebSocket client):
 * opens a page, waits until its rendered text satisfies a condition, and takes a screenshot. A
 * single-page app renders after the load event, so {@code --dump-dom} alone would see an empty
 * shell, and {@code --virtual-time-budget} never ends while the app keeps requests open.
 */
final class HeadlessChromium implements AutoCloseable {
  /** Debian's package installs it here. */
  static final Path BINARY = Path.of("/usr/bin/chromium");

  /** The flags that work offline, in a container, without a GPU. */
  static final List<String> FLAGS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--no-first-run");

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The page's text with that of its same-origin frames (the Web UI renders markdown in frames),
   * each frame's text after the page's.
   */
  private static final String TEXT =
      "[document.body ? document.body.innerText : '']"
          + ".concat([...document.querySelectorAll('iframe')].map(f => {"
          + " try { return f.contentDocument.body.innerText; } catch (e) { return ''; } }))"
          + ".join('\\n')";

  private final Process process;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String devTools;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private WebSocket page;

  /** Starts Chromium with {@link #FLAGS}, its profile in {@code profile}, a window of w×h. */
  HeadlessChromium(Path profile, int width, int height) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(BINARY.toString());
    command.addAll(FLAGS);
    command.add("--user-data-dir=" + profile);
    command.add("--remote-debugging-port=0");
    command.add("--window-size=" + width + "," + height);
    command.add("about:blank");
    process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    devTools = devToolsAddress();
  }

  /** The {@code http://127.0.0.1:PORT} Chromium printed on its error stream. */
  private String devToolsAddress() throws IOException {
    BufferedReader err =
        new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = err.readLine()) != null) {
      int at = line.indexOf("DevTools listening on ws://");
      if (at >= 0) {
        String ws = line.substring(at + "DevTools listening on ws://".length());
        Thread drain = new Thread(() -> err.lines().forEach(l -> {}), "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        return "http://" + ws.substring(0, ws.indexOf('/'));
      }
    }
    throw new IOException("chromium exited without opening DevTools");
  }

  /** Opens {@code url} in a new tab and attaches to it. */
  void open(String url) throws Exception {
    HttpResponse<String> created =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        devTools + "/json/new?" + URLEncoder.encode(url, StandardCharsets.UTF_8)))
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String socket = JSON.readTree(created.body()).get("webSocketDebuggerUrl").asText();
    page =
        http.newWebSocketBuilder()
            .buildAsync(URI.create(socket), new Listener())
            .get(10, TimeUnit.SECONDS);
  }

  /**
   * The page's rendered text, its frames' included, once {@code ready} accepts it, or
   * the last text seen when {@code timeout} passes first.
   */
  String textWhen(Predicate<String> ready, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String text = "";
    while (System.nanoTime() < deadline) {
      JsonNode result =
          call(
              "Runtime.evaluate",
              Map.of("expression", TEXT));
      text = result.path("result").path("value").asText("");
      if (ready.test(text)) {
        return text;
      }
      Thread.sleep(250);
    }
    return text;
  }

  /** The page's HTML as rendered now. */
  String html() throws Exception {
    return call("Runtime.evaluate", Map.of("expression", "document.documentElement.outerHTML"))
        .path("result")
        .path("value")
        .asText("");
  }

  /** A PNG of the page's viewport, written to {@code file}. */
  void screenshot(Path file) throws Exception {
    JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png"));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
  }

  private JsonNode call(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", JSON.valueToTree(params));
    page.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
    JsonNode reply = answer.get(20, TimeUnit.SECONDS);
    if (reply.has("error")) {
      throw new IOException(method + ": " + reply.get("error"));
    }
    return reply.path("result");
  }

  /** Routes replies to their calls; events are ignored. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode message = JSON.readTree(partial.toString());
          CompletableFuture<JsonNode> answer =
              message.has("id") ? pending.remove(message.get("id").asInt()) : null;
          if (answer != null) {
            answer.complete(message);
          }
        } catch (IOException e) {
          // Not for us: every reply is JSON.
        }
        partial.setLength(0);
      }
      socket.request(1);
      return null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (page != null) {
      page.abort();
    }
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
