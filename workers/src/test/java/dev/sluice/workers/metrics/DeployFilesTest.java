package dev.sluice.workers.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Grafana and Prometheus files under {@code deploy/} parse and agree with each other and with
 * the worker's defaults. (Queries against real metrics: {@link PipelineMetricsTest}.)
 */
class DeployFilesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static JsonNode yaml(String path) throws IOException {
    return YAML.readTree(Files.readString(Dashboard.DEPLOY.resolve(path)));
  }

  @Test
  void givenDashboard_whenParsed_thenEveryPanelHasAQueryOnTheDatasourceVariableAndAUniqueId() {
    Dashboard dashboard = Dashboard.read();
    Set<Integer> ids = new HashSet<>();
    List<String> problems = new ArrayList<>();

    assertThat(dashboard.json().path("uid").asText()).isEqualTo("sluice-pipelines");
    assertThat(dashboard.panels()).hasSizeGreaterThanOrEqualTo(10);
    for (JsonNode panel : dashboard.json().path("panels")) {
      if (!ids.add(panel.path("id").asInt())) {
        problems.add("duplicate panel id " + panel.path("id"));
      }
    }
    for (JsonNode panel : dashboard.panels()) {
      if (!"${datasource}".equals(panel.path("datasource").path("uid").asText())) {
        problems.add(panel.path("title").asText() + ": not on the datasource variable");
      }
      if (panel.path("targets").isEmpty()) {
        problems.add(panel.path("title").asText() + ": no query");
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void givenProvisionedDatasource_whenParsed_thenItIsTheDashboardsDefault() throws IOException {
    JsonNode datasource =
        yaml("grafana/provisioning/datasources/prometheus.yaml").path("datasources").get(0);
    JsonNode variable = Dashboard.read().json().path("templating").path("list").get(0);

    assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
    assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
    assertThat(variable.path("name").asText()).isEqualTo("datasource");
    assertThat(variable.path("current").path("value").asText())
        .isEqualTo(datasource.path("uid").asText());
  }

  @Test
  void givenDashboardProvider_whenParsed_thenItLoadsFilesFromOneDirectory() throws IOException {
    JsonNode provider =
        yaml("grafana/provisioning/dashboards/sluice.yaml").path("providers").get(0);

    assertThat(provider.path("type").asText()).isEqualTo("file");
    assertThat(provider.path("options").path("path").asText()).isEqualTo("/etc/grafana/dashboards");
    assertThat(Path.of("..", "deploy", "grafana", "dashboards", "sluice.json")).exists();
  }

  @Test
  void givenPrometheusConfig_whenParsed_thenItScrapesEveryWorkerOnTheDefaultMetricsPort()
      throws IOException {
    JsonNode job = yaml("prometheus/prometheus.yml").path("scrape_configs").get(0);

    assertThat(job.path("job_name").asText()).isEqualTo("sluice-workers");
    assertThat(job.path("metrics_path").asText()).isEqualTo("/metrics");
    JsonNode dns = job.path("dns_sd_configs").get(0);
    assertThat(dns.path("names").get(0).asText()).isEqualTo("worker");
    assertThat(dns.path("port").asInt()).isEqualTo(MetricsSettings.DEFAULT_PORT);
  }
}
