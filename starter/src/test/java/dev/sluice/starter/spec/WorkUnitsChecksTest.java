package dev.sluice.starter.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.UnitsSpec;
import dev.sluice.starter.cli.RunKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The top-level {@code units} key, through the loader. */
class WorkUnitsChecksTest {
  private static final String FILTERED_SUBMIT =
      "    url: https://api.example.com/exports?survey=${survey}";

  private final PipelineLoader loader = new PipelineLoader();

  private List<String> problemsOf(String yaml) {
    return Fixtures.problemsOf(loader, yaml);
  }

  /** {@code minimal.yaml} whose submit is filtered by {@code ${survey}}, plus {@code units}. */
  private static String withUnits(String units) {
    return Fixtures.minimalWith(
            "    url: https://api.example.com/exports\n", FILTERED_SUBMIT + "\n")
        + units;
  }

  @Test
  void givenHttpUnits_whenLoaded_thenDefaultsApplyAndTheRunIsAWorkUnitsRun() throws Exception {
    String yaml =
        withUnits(
            "units:\n"
                + "  request: {url: 'https://api.example.com/surveys?day=${logicalDate}'}\n"
                + "  pointer: /surveys\n"
                + "  field: id\n"
                + "  variable: survey\n");

    LoadedPipeline loaded = loader.load(yaml, "test.yaml", Path.of("/pipelines"));

    UnitsSpec units = loaded.spec().units();
    assertThat(units.from()).isEqualTo("http");
    assertThat(units.partition()).isEqualTo("survey");
    assertThat(units.maxParallel()).isEqualTo(4);
    assertThat(units.maxUnitsPerRun()).isZero();
    assertThat(units.rerunDone()).isFalse();
    assertThat(RunKind.of(loaded.spec())).isEqualTo(RunKind.WORK_UNITS);
    assertThat(RunKind.of(loaded.spec().withUnits(null))).isEqualTo(RunKind.ASYNC_INGEST);
  }

  @Test
  void givenRelativeListFile_whenLoaded_thenResolvedBesideThePipeline() throws Exception {
    String yaml =
        withUnits("units: {uri: lists/surveys.csv, field: survey_id, variable: survey}\n");

    LoadedPipeline loaded = loader.load(yaml, "test.yaml", Path.of("/pipelines"));

    assertThat(loaded.spec().units().from()).isEqualTo("file");
    assertThat(loaded.spec().units().uri()).isEqualTo("file:///pipelines/lists/surveys.csv");
  }

  @Test
  void givenUnitVariableInATemplate_whenNoUnitsBlock_thenUnknownVariable() {
    String yaml =
        Fixtures.minimalWith("    url: https://api.example.com/exports\n", FILTERED_SUBMIT + "\n");

    assertThat(problemsOf(yaml))
        .singleElement()
        .asString()
        .startsWith("source.submit.url: unknown template variable ${survey}");
  }

  @Test
  void givenNoTemplateUsesTheVariable_whenLoaded_thenRejectedBecauseEveryUnitWouldBeTheSame() {
    String yaml = Fixtures.minimalPlus("units: {uri: surveys.csv, variable: surveyId}\n");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "units.variable: no source request uses ${surveyId}: every unit would ingest the same"
                + " data (filter the submit or extract request by it)");
  }

  @Test
  void givenHttpUnitsWithoutRequest_whenLoaded_thenRequestRequired() {
    String yaml = withUnits("units: {variable: survey, pointer: /surveys}\n");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "units.request: is required when the units are listed over HTTP (or set units.uri to"
                + " list them from a file)");
  }

  @Test
  void givenListingRequestUsingRunOrUnitVariables_whenLoaded_thenEachIsNamed() {
    String yaml =
        withUnits(
            "units:\n"
                + "  request: {url:"
                + " 'https://api.example.com/surveys?after=${watermark}&s=${survey}'}\n"
                + "  variable: survey\n");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "units.request.url: ${watermark} cannot be used in units.request: it lists the units"
                + " before any job exists; use ${pipeline}, ${logicalDate}, ${windowStart} or"
                + " ${windowEnd}",
            "units.request.url: ${survey} is a work unit's value: only the source's submit,"
                + " status, extract and clean-up requests can use it");
  }

  @Test
  void givenVariableShadowingARunVariable_whenLoaded_thenRejected() {
    String yaml =
        Fixtures.minimalWith(
                "    url: https://api.example.com/exports\n",
                "    url: https://api.example.com/exports?p=${pipeline}\n")
            + "units: {uri: surveys.csv, variable: pipeline}\n";

    assertThat(problemsOf(yaml))
        .containsExactly(
            "units.variable: 'pipeline' is one of the run's own template variables; name the unit"
                + " another way (e.g. variable: surveyId)");
  }

  @Test
  void givenJsonLinesListWithoutField_whenLoaded_thenFieldRequired() {
    String yaml = withUnits("units: {uri: surveys.ndjson, format: ndjson, variable: survey}\n");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "units.field: is required for a JSON-lines list: the field holding each unit's value");
  }

  @Test
  void givenZeroParallelAndHttpKeysOnAFileList_whenLoaded_thenBothReported() {
    String yaml =
        withUnits("units: {uri: surveys.csv, pointer: /x, variable: survey, maxParallel: 0}\n");

    assertThat(problemsOf(yaml))
        .containsExactlyInAnyOrder(
            "units.maxParallel: must be at least 1 (found 0)",
            "units.pointer: only applies to units listed over HTTP");
  }
}
