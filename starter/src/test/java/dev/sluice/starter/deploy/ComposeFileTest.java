package dev.sluice.starter.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.workflows.common.SearchAttributes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The repository's {@code docker-compose.yml}, checked without a Docker engine: {@code
 * docker-compose config} validates it against the Compose schema and prints it normalised (anchors
 * merged, paths absolute, variables interpolated), and the rules below are checked on that output.
 * Runs with Debian's docker-compose 1.29 (what {@code .ci/run} installs) and with Compose v2's
 * standalone binary; the two print ports and volumes differently, both are read.
 *
 * <p>Without {@code docker-compose} on the PATH the tests are skipped, unless {@code CI} is set:
 * there a missing tool is a broken CI script, not a reason to skip.
 */
class ComposeFileTest {
  /** Label marking a service that runs and exits (a setup job, the CLI): no health check. */
  private static final String ONE_SHOT_LABEL = "dev.sluice.one-shot";

  private static Path repo;
  private static JsonNode services;

  @BeforeAll
  static void normalise() throws Exception {
    repo = repositoryRoot();
    ComposeRun quiet = compose("config", "--quiet");
    assertThat(quiet.exitCode())
        .as("docker-compose config --quiet rejected docker-compose.yml:%n%s", quiet.output())
        .isZero();
    ComposeRun config = compose("config");
    assertThat(config.exitCode()).as(config.output()).isZero();
    services = new ObjectMapper(new YAMLFactory()).readTree(config.stdout()).path("services");
    assertThat(services.size()).as("services in %s", config.stdout()).isGreaterThan(0);
  }

  @Test
  void everyPublishedPort_isBoundToLoopbackOnly() {
    List<String> open = new ArrayList<>();
    services
        .fields()
        .forEachRemaining(
            service -> {
              for (JsonNode port : service.getValue().path("ports")) {
                // 1.29: "127.0.0.1:7233:7233/tcp"; v2: {host_ip: 127.0.0.1, target: 7233,
                // published: "7233"}
                boolean loopback =
                    port.isTextual()
                        ? port.asText().startsWith("127.0.0.1:")
                        : "127.0.0.1".equals(port.path("host_ip").asText());
                if (!loopback) {
                  open.add(service.getKey() + " " + port);
                }
              }
            });
    assertThat(open).as("ports published beyond 127.0.0.1").isEmpty();
  }

  @Test
  void everyImage_isPinnedToAnExplicitTagOtherThanLatest() {
    List<String> unpinned = new ArrayList<>();
    services
        .fields()
        .forEachRemaining(
            service -> {
              String image = service.getValue().path("image").asText("");
              String lastSegment = image.substring(image.lastIndexOf('/') + 1);
              boolean pinned =
                  image.contains("@sha256:")
                      || (lastSegment.contains(":") && !lastSegment.endsWith(":latest"));
              if (!pinned) {
                unpinned.add(service.getKey() + " image '" + image + "'");
              }
            });
    assertThat(unpinned).as("images without a pinned tag").isEmpty();
  }

  @Test
  void everyLongRunningService_hasHealthCheck_andEveryOneShotJob_neverRestarts() {
    List<String> problems = new ArrayList<>();
    services
        .fields()
        .forEachRemaining(
            service -> {
              JsonNode spec = service.getValue();
              boolean oneShot = "true".equals(spec.path("labels").path(ONE_SHOT_LABEL).asText());
              JsonNode health = spec.path("healthcheck");
              if (oneShot) {
                if (!spec.path("restart").asText("no").equals("no")) {
                  problems.add(service.getKey() + ": one-shot but restarts");
                }
              } else if (health.isMissingNode()
                  || health.path("disable").asBoolean(false)
                  || health.path("test").isMissingNode()) {
                problems.add(service.getKey() + ": long-running without a health check");
              }
            });
    assertThat(problems).isEmpty();
  }

  @Test
  void everyServiceWaitedOnToComplete_isAOneShotJob() {
    // service_completed_successfully on a long-running service would wait for ever.
    List<String> problems = new ArrayList<>();
    services
        .fields()
        .forEachRemaining(
            service ->
                service
                    .getValue()
                    .path("depends_on")
                    .fields()
                    .forEachRemaining(
                        dependency -> {
                          String condition = dependency.getValue().path("condition").asText();
                          boolean oneShot =
                              "true"
                                  .equals(
                                      services
                                          .path(dependency.getKey())
                                          .path("labels")
                                          .path(ONE_SHOT_LABEL)
                                          .asText());
                          if (condition.equals("service_completed_successfully") != oneShot) {
                            problems.add(
                                service.getKey()
                                    + " waits for "
                                    + dependency.getKey()
                                    + " with "
                                    + condition);
                          }
                        }));
    assertThat(problems).isEmpty();
  }

  @Test
  void everyBindMount_isInsideTheRepository_andReadOnlyOnesExist() {
    List<String> problems = new ArrayList<>();
    services
        .fields()
        .forEachRemaining(
            service -> {
              for (JsonNode volume : service.getValue().path("volumes")) {
                Mount mount = Mount.of(volume);
                if (mount == null) {
                  continue; // a named volume
                }
                Path source = Path.of(mount.source()).normalize();
                if (!source.startsWith(repo)) {
                  problems.add(
                      service.getKey() + ": mounts " + source + " from outside the repository");
                } else if (mount.readOnly() && !Files.exists(source)) {
                  // Read-only mounts are configuration the stack needs; writable ones are outputs
                  // (examples/out) that Docker creates on first use.
                  problems.add(
                      service.getKey()
                          + ": mounts "
                          + repo.relativize(source)
                          + ", which does not exist");
                }
              }
              JsonNode build = service.getValue().path("build");
              if (!build.isMissingNode()) {
                Path context =
                    Path.of(build.isTextual() ? build.asText() : build.path("context").asText());
                if (!Files.exists(context.resolve("Dockerfile"))) {
                  problems.add(service.getKey() + ": no Dockerfile in build context " + context);
                }
              }
            });
    assertThat(problems).isEmpty();
  }

  @Test
  void workers_listenForMetricsBeyondLoopback_andPollTheSluiceQueue() {
    JsonNode env = services.path("worker").path("environment");

    assertThat(env.path("SLUICE_METRICS_BIND").asText()).isEqualTo("0.0.0.0");
    assertThat(env.path("TEMPORAL_ADDRESS").asText()).isEqualTo("temporal:7233");
    assertThat(services.path("worker").path("ports").isMissingNode())
        .as(
            "worker replicas publish no ports (they would collide); Prometheus scrapes them inside"
                + " the network")
        .isTrue();
  }

  @Test
  void temporal_isTheServerImageStartedAfterItsSchemaJob_andNoImageIsDeprecated() {
    List<String> deprecated = new ArrayList<>();
    services
        .fields()
        .forEachRemaining(
            service -> {
              String image = service.getValue().path("image").asText("");
              if (image.startsWith("temporalio/auto-setup:")) {
                deprecated.add(service.getKey() + " image '" + image + "'");
              }
            });
    assertThat(deprecated).as("images Temporal has deprecated").isEmpty();

    String server = services.path("temporal").path("image").asText();
    assertThat(server).startsWith("temporalio/server:");
    String version = server.substring(server.indexOf(':') + 1);
    JsonNode schemaJob = services.path("temporal-schema");
    assertThat(
            services
                .path("temporal")
                .path("depends_on")
                .path("temporal-schema")
                .path("condition")
                .asText())
        .as("the server starts once its schema is set up")
        .isEqualTo("service_completed_successfully");
    assertThat(schemaJob.path("image").asText())
        .as("schema tools of the server's own version")
        .isEqualTo("temporalio/admin-tools:" + version);
    assertThat(services.path("temporal-admin-tools").path("image").asText())
        .isEqualTo("temporalio/admin-tools:" + version);
    assertThat(schemaJob.path("entrypoint").toString()).contains("setup-postgres-schema.sh");
  }

  @Test
  void setupScripts_createTheSchemaAndTheNamespaceTheServerImageLeavesOut() throws IOException {
    String schema = Files.readString(repo.resolve("deploy/temporal/setup-postgres-schema.sh"));
    String namespace =
        Files.readString(repo.resolve("deploy/temporal/register-search-attributes.sh"));

    assertThat(schema)
        .contains("for db in temporal temporal_visibility")
        .contains("update-schema -d \"$schemas/$dir/versioned\"")
        .contains("set -eu");
    assertThat(namespace)
        .contains("temporal operator namespace create")
        .contains("temporal operator cluster health");
  }

  @Test
  void searchAttributeJob_registersExactlyTheAttributesWorkflowsUse() throws IOException {
    String script = Files.readString(repo.resolve("deploy/temporal/register-search-attributes.sh"));
    Matcher list = Pattern.compile("(?m)^attributes=\"([^\"]*)\"").matcher(script);
    assertThat(list.find()).as("an attributes=\"...\" line in the script").isTrue();

    Set<String> registered = new LinkedHashSet<>(Arrays.asList(list.group(1).trim().split("\\s+")));

    assertThat(registered).containsExactlyInAnyOrderElementsOf(SearchAttributes.CUSTOM.keySet());
    assertThat(script).contains("--type Keyword");
    assertThat(SearchAttributes.CUSTOM.values())
        .allSatisfy(type -> assertThat(type.name()).isEqualTo("INDEXED_VALUE_TYPE_KEYWORD"));
  }

  private record Mount(String source, boolean readOnly) {
    /** A bind mount from either output format, or null for a named volume. */
    static Mount of(JsonNode volume) {
      if (volume.isTextual()) {
        String[] parts = volume.asText().split(":");
        if (!parts[0].startsWith("/") && !parts[0].startsWith(".")) {
          return null;
        }
        return new Mount(parts[0], parts.length > 2 && parts[2].contains("ro"));
      }
      if (!"bind".equals(volume.path("type").asText())) {
        return null;
      }
      return new Mount(volume.path("source").asText(), volume.path("read_only").asBoolean(false));
    }
  }

  private record ComposeRun(int exitCode, String stdout, String stderr) {
    String output() {
      return stdout + stderr;
    }
  }

  private static ComposeRun compose(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("docker-compose");
    // Profiles: Compose v2 leaves profiled services out of `config` unless asked for them.
    command.addAll(
        List.of(
            "-f",
            repo.resolve("docker-compose.yml").toString(),
            "--profile",
            "codec",
            "--profile",
            "cli"));
    command.addAll(List.of(arguments));
    // stderr to a file: reading two pipes one after the other can block on the second.
    Path errors = Files.createTempFile("docker-compose", ".stderr");
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(repo.toFile()).redirectError(errors.toFile());
    // The user's shell must not change what is checked.
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("COMPOSE_") || name.startsWith("SLUICE_"));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      String message =
          "docker-compose is not installed ("
              + e.getMessage()
              + "); on Debian: "
              + "apt-get update && apt-get install -y docker-compose";
      if (System.getenv("CI") != null) {
        fail("CI is set but " + message + ". .ci/run must install it before running the tests.");
      }
      Assumptions.abort(message);
      throw e; // not reached
    }
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("docker-compose " + String.join(" ", arguments) + " did not finish in 120s");
    }
    String err = Files.readString(errors);
    Files.delete(errors);
    return new ComposeRun(process.exitValue(), out, err);
  }

  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("docker-compose.yml")) && Files.exists(dir.resolve("starter"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no docker-compose.yml above " + Path.of("").toAbsolutePath());
  }
}
