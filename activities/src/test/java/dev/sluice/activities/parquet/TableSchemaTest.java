package dev.sluice.activities.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.RunKeys;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableSchemaTest {
  @TempDir Path dir;
  private final HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());
  private final ParquetSinkActivitiesImpl activities = new ParquetSinkActivitiesImpl(files);
  private final TableSchema schemas = new TableSchema(files);

  @Test
  void givenALaterRunWithNewColumnsAndFields_whenPublished_thenTheTableSchemaGrows()
      throws IOException {
    publish("run-1", "append", Map.of("id", 1L, "customer", map("name", "Ada")));
    publish(
        "run-2",
        "append",
        Map.of("id", 2L, "customer", map("name", "Bo", "tier", 3L), "note", "new"));

    MessageType table = stored();
    assertThat(TableSchema.describe(table.getType("customer")))
        .isEqualTo("struct<name: string, tier: long>");
    assertThat(table.getFields()).extracting(f -> f.getName()).contains("id", "note");
    assertThat(dataFiles()).hasSize(2);
    assertThat(schemas.read(sink("append")).orElseThrow().storedBy()).isEqualTo("run-2");
  }

  @Test
  void givenAColumnWhoseTypeChanged_whenAppended_thenRefusedNamingBothTypesAndNothingMoves()
      throws IOException {
    publish("run-1", "append", Map.of("id", 1L, "customer", map("tags", List.of("a"))));
    Map<String, String> before = versions();

    assertThatThrownBy(
            () -> publish("run-2", "append", Map.of("id", 2L, "customer", map("tags", "a,b"))))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining(
            "column 'customer.tags' is list<string> in the table but string in this run")
        .hasMessageContaining("(last changed by run run-1)")
        .hasMessageContaining("nothing was published")
        .satisfies(
            e ->
                assertThat(((ApplicationFailure) e).getType())
                    .isEqualTo(FailureType.SCHEMA_MISMATCH.type()));

    assertThat(dataFiles()).containsExactly(PartFiles.name("run-1", 0));
    assertThat(versions()).isEqualTo(before);
  }

  @Test
  void givenAColumnWhoseTypeChanged_whenSnapshot_thenTheRunsSchemaReplacesTheTables()
      throws IOException {
    publish("run-1", "snapshot", Map.of("id", 1L));
    publish("run-2", "snapshot", Map.of("id", "x-1"));

    assertThat(TableSchema.describe(stored().getType("id"))).isEqualTo("string");
    assertThat(dataFiles()).containsExactly(PartFiles.name("run-2", 0));
    assertThat(versions().keySet()).containsExactly(version(1), version(2));
  }

  @Test
  void givenATableFromBeforeTheSchemaWasKept_whenAppended_thenItsFilesSchemaIsTheBaseline()
      throws IOException {
    publish("run-1", "append", Map.of("id", 1L));
    deleteVersions();

    assertThatThrownBy(() -> publish("run-2", "append", Map.of("id", 1.5)))
        .hasMessageContaining("column 'id' is long in the table but double in this run");
  }

  @Test
  void givenAColumnFirstSeenMidRun_whenAppended_thenTheTableSchemaIsTheUnionOfTheRunsFiles()
      throws IOException {
    publish("run-1", "append", Map.of("id", 1L));

    publishRows("run-2", List.of(map("id", 2L), map("id", 3L, "note", "new")));

    assertThat(stored().getFields()).extracting(f -> f.getName()).containsExactly("id", "note");
    assertThat(TableSchema.describe(stored().getType("note"))).isEqualTo("string");
    assertThat(dataFiles())
        .containsExactly(
            PartFiles.name("run-1", 0), PartFiles.name("run-2", 0), PartFiles.name("run-2", 1));
  }

  @Test
  void givenAColumnFirstSeenMidRunWithTheTablesColumnOfAnotherType_whenAppended_thenNothingMoves()
      throws IOException {
    publish("run-1", "append", Map.of("id", 1L, "note", 7L));
    Map<String, String> before = versions();

    assertThatThrownBy(
            () -> publishRows("run-2", List.of(map("id", 2L), map("id", 3L, "note", "seven"))))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("column 'note' is long in the table but string in this run")
        .hasMessageContaining("nothing was published");

    assertThat(dataFiles()).containsExactly(PartFiles.name("run-1", 0));
    assertThat(versions()).isEqualTo(before);
  }

  @Test
  void givenOnlyTheLegacySchemaFile_whenAppended_thenItIsTheCurrentSchemaUntilAChangeVersionsIt()
      throws IOException {
    publish("run-1", "append", Map.of("id", 1L));
    // A table whose schema an earlier Sluice kept in _sluice/schema.json.
    Files.move(schemaDir().resolve(version(1)), legacyFile());
    deleteVersions();
    String legacy = Files.readString(legacyFile());

    assertThat(schemas.read(sink("append")).orElseThrow().storedBy()).isEqualTo("run-1");
    publish("run-2", "append", Map.of("id", 2L)); // no change: no version
    assertThat(versions()).isEmpty();
    assertThatThrownBy(() -> publish("run-3", "append", Map.of("id", 1.5)))
        .hasMessageContaining("(last changed by run run-1)")
        .hasMessageContaining("column 'id' is long in the table but double in this run");
    assertThat(versions()).isEmpty();

    publish("run-4", "append", Map.of("id", 4L, "note", "new"));

    assertThat(versions().keySet()).containsExactly(version(1));
    assertThat(stored().getFields()).extracting(f -> f.getName()).containsExactly("id", "note");
    assertThat(schemas.read(sink("append")).orElseThrow().storedBy()).isEqualTo("run-4");
    assertThat(Files.readString(legacyFile())).as("no longer written").isEqualTo(legacy);
  }

  @Test
  void givenAPublishRetried_whenItFindsItsOwnColumns_thenNoVersionIsCreated() throws IOException {
    publish("run-1", "append", Map.of("id", 1L));
    PublishRequest second = publish("run-2", "append", Map.of("id", 2L, "note", "new"));
    Map<String, String> before = versions();
    assertThat(before.keySet()).containsExactly(version(1), version(2));

    activities.publish(second); // its completion was lost: Temporal runs it again
    schemas.admit(second.sink(), second.stagingUri(), "run-2", second.files(), false);
    publish("run-3", "append", Map.of("id", 3L, "note", "same columns"));

    assertThat(versions()).isEqualTo(before);
    assertThat(schemas.read(sink("append")).orElseThrow().storedBy()).isEqualTo("run-2");
  }

  @Test
  void givenASnapshotRetried_whenItFindsItsOwnSchema_thenNoVersionIsCreated() throws IOException {
    publish("run-1", "snapshot", Map.of("id", 1L));
    PublishRequest second = publish("run-2", "snapshot", Map.of("id", "x-1"));
    Map<String, String> before = versions();

    activities.publish(second);

    assertThat(versions()).isEqualTo(before);
    assertThat(before.keySet()).containsExactly(version(1), version(2));
  }

  private PublishRequest publish(String runKey, String mode, Map<String, Object> row) {
    ParquetSink sink = sink(mode);
    String staging = RunKeys.staging(sink, runKey);
    WriterState state;
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(files, sink, staging, runKey, null, null)) {
      writer.columns(List.copyOf(row.keySet()));
      writer.record(row.values().toArray());
      state = writer.finish();
    }
    PublishRequest request = new PublishRequest(runKey, sink, staging, state.files(), null, null);
    activities.publish(request);
    return request;
  }

  /** Appends {@code rows} in one run whose schema is fixed from the first (inferRows 1). */
  private void publishRows(String runKey, List<Map<String, Object>> rows) {
    ParquetSink sink =
        new ParquetSink(dir.resolve("table").toUri().toString(), "append", null, null, null, 1);
    String staging = RunKeys.staging(sink, runKey);
    WriterState state;
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(files, sink, staging, runKey, null, null)) {
      for (Map<String, Object> row : rows) {
        writer.columns(List.copyOf(row.keySet()));
        writer.record(row.values().toArray());
      }
      state = writer.finish();
    }
    activities.publish(new PublishRequest(runKey, sink, staging, state.files(), null, null));
  }

  private ParquetSink sink(String mode) {
    return new ParquetSink(dir.resolve("table").toUri().toString(), mode, null, null, null, null);
  }

  private MessageType stored() {
    return MessageTypeParser.parseMessageType(
        schemas.read(sink("append")).orElseThrow().schema());
  }

  private Path schemaDir() {
    return dir.resolve("table/_sluice/schema");
  }

  private Path legacyFile() {
    return dir.resolve("table/_sluice/schema.json");
  }

  private static String version(long version) {
    return String.format("%020d.json", version);
  }

  /** Each schema version's file name and content, in order. */
  private Map<String, String> versions() throws IOException {
    Map<String, String> versions = new TreeMap<>();
    if (!Files.isDirectory(schemaDir())) {
      return versions;
    }
    try (Stream<Path> paths = Files.list(schemaDir())) {
      for (Path p : paths.toList()) {
        versions.put(p.getFileName().toString(), Files.readString(p));
      }
    }
    return versions;
  }

  private void deleteVersions() throws IOException {
    for (String name : versions().keySet()) {
      Files.delete(schemaDir().resolve(name));
    }
  }

  private List<String> dataFiles() throws IOException {
    try (Stream<Path> paths = Files.list(dir.resolve("table"))) {
      return paths
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".parquet"))
          .sorted()
          .toList();
    }
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
