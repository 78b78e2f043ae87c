package dev.sluice.activities.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.workflows.activities.RunKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishes of one table at the same moment (append windows, queue ingest with several workers)
 * each admit their run's schema: threads released together by a barrier, round after round, so
 * their read-merge-store steps overlap. The table's schema must end with every column any of them
 * added, and never admit two types for one column. On the local file system here (the version is
 * created by a hard link); {@link TableSchemaOnHdfsConcurrencyTest} runs the same on HDFS.
 */
class TableSchemaConcurrencyTest {
  private static final int WRITERS = 6;

  @TempDir Path dir;
  private final HadoopFiles files = new HadoopFiles(configuration());
  private final TableSchema schemas = new TableSchema(files);

  /** The file system's configuration: the local one here. */
  Configuration configuration() {
    return HadoopFiles.defaultConfiguration();
  }

  /** How many rounds of publishes at once each race runs. */
  int rounds() {
    return 15;
  }

  /** The table's URI. */
  String table() {
    return dir.resolve("table").toUri().toString();
  }

  @Test
  void givenWritersAddingDifferentColumnsAtOnce_whenAdmitted_thenTheSchemaKeepsEveryColumn()
      throws Exception {
    ParquetSink sink = sink();
    admit(sink, stage(sink, "base", row("id", 1L)));
    List<List<Staged>> rounds = new ArrayList<>();
    for (int round = 0; round < rounds(); round++) {
      List<Staged> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        writers.add(stage(sink, "run-" + round + "-" + w, row("id", 2L, column(round, w), "v")));
      }
      rounds.add(writers);
    }

    for (List<Staged> round : rounds) {
      List<Throwable> failures = race(sink, round);
      assertThat(failures).isEmpty();
    }

    List<String> columns = stored().getFields().stream().map(Type::getName).toList();
    List<String> expected = new ArrayList<>(List.of("id"));
    for (int round = 0; round < rounds(); round++) {
      for (int w = 0; w < WRITERS; w++) {
        expected.add(column(round, w));
      }
    }
    assertThat(columns).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void givenTwoWritersAddingOneColumnWithTwoTypesAtOnce_whenAdmitted_thenExactlyOneIsRefused()
      throws Exception {
    ParquetSink sink = sink();
    admit(sink, stage(sink, "base", row("id", 1L)));
    List<List<Staged>> rounds = new ArrayList<>();
    for (int round = 0; round < rounds(); round++) {
      String x = "x_" + round;
      rounds.add(
          List.of(
              stage(sink, "long-" + round, row("id", 2L, x, 7L)),
              stage(sink, "string-" + round, row("id", 3L, x, "seven"))));
    }

    for (int round = 0; round < rounds(); round++) {
      String x = "x_" + round;
      List<Throwable> failures = race(sink, rounds.get(round));

      assertThat(failures).as("round %d: exactly one publish is refused", round).hasSize(1);
      // Whichever type won is the table's; the refused run names it and its own.
      String won = TableSchema.describe(stored().getType(x));
      String refused = won.equals("long") ? "string" : "long";
      assertThat(won).isIn("long", "string");
      assertThat(failures.get(0))
          .isInstanceOf(SchemaMismatchException.class)
          .hasMessageContaining(
              "column '" + x + "' is " + won + " in the table but " + refused + " in this run")
          .hasMessageContaining("nothing was published");
      assertThat(((SchemaMismatchException) failures.get(0)).column()).isEqualTo(x);
    }
  }

  @Test
  void givenAnotherRunStoresTheColumnWithAnotherTypeFirst_whenAdmitted_thenRefusedAgainstIt() {
    ParquetSink sink = sink();
    admit(sink, stage(sink, "base", row("id", 1L)));
    Staged other = stage(sink, "other", row("id", 2L, "x", "seven"));
    Staged mine = stage(sink, "mine", row("id", 3L, "x", 7L));
    List<Long> tried = new ArrayList<>();
    // The other publish stores version 2 after this one read version 1, before it creates 2.
    TableSchema racing =
        new TableSchema(
            files,
            version -> {
              tried.add(version);
              if (tried.size() == 1) {
                admit(sink, other);
              }
            });

    assertThatThrownBy(() -> racing.admit(sink, mine.stagingUri(), "mine", mine.names(), false))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("(last changed by run other)")
        .hasMessageContaining("column 'x' is string in the table but long in this run");

    assertThat(tried).containsExactly(2L);
    assertThat(TableSchema.describe(stored().getType("x"))).isEqualTo("string");
  }

  @Test
  void givenAnotherPublishAddsAColumnFirst_whenAdmitted_thenTheNextVersionKeepsBoth() {
    ParquetSink sink = sink();
    admit(sink, stage(sink, "base", row("id", 1L)));
    Staged other = stage(sink, "other", row("id", 2L, "a", "x"));
    Staged mine = stage(sink, "mine", row("id", 3L, "b", 7L));
    List<Long> tried = new ArrayList<>();
    TableSchema racing =
        new TableSchema(
            files,
            version -> {
              tried.add(version);
              if (tried.size() == 1) {
                admit(sink, other);
              }
            });

    racing.admit(sink, mine.stagingUri(), "mine", mine.names(), false);

    assertThat(tried).containsExactly(2L, 3L);
    assertThat(stored().getFields()).extracting(Type::getName).containsExactly("id", "a", "b");
    assertThat(schemas.read(sink).orElseThrow().storedBy()).isEqualTo("mine");
  }

  @Test
  void givenOtherPublishesWinEveryVersion_whenAdmitted_thenFailsSayingTheSchemaKeptChanging() {
    ParquetSink sink = sink();
    admit(sink, stage(sink, "base", row("id", 1L)));
    Staged mine = stage(sink, "mine", row("id", 3L, "b", 7L));
    // Another run stores a version (the same columns, say) each time just before this one does.
    TableSchema racing =
        new TableSchema(
            files,
            version ->
                StateFiles.create(
                    files,
                    TableSchema.versionUri(sink, version),
                    new TableSchema.Stored(
                        schemas.read(sink).orElseThrow().schema(), "other-" + version)));

    assertThatThrownBy(() -> racing.admit(sink, mine.stagingUri(), "mine", mine.names(), false))
        .isInstanceOf(TableSchema.SchemaKeptChangingException.class)
        .hasMessageContaining("the table's schema kept changing")
        .hasMessageContaining("other runs created " + TableSchema.MAX_ATTEMPTS + " versions first")
        .hasMessageContaining("Nothing was published");

    assertThat(stored().containsField("b")).isFalse();
  }

  /** One staged run: its key and its files under the run's staging directory. */
  private record Staged(String runKey, String stagingUri, List<String> names) {}

  /** Admits every run of {@code round} at once; returns what each refused admit threw. */
  private List<Throwable> race(ParquetSink sink, List<Staged> round) throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(round.size());
    ExecutorService pool = Executors.newFixedThreadPool(round.size());
    try {
      List<Future<?>> running = new ArrayList<>();
      for (Staged staged : round) {
        running.add(
            pool.submit(
                () -> {
                  barrier.await(1, TimeUnit.MINUTES);
                  admit(sink, staged);
                  return null;
                }));
      }
      List<Throwable> failures = new ArrayList<>();
      for (Future<?> f : running) {
        try {
          f.get(2, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
          failures.add(e.getCause());
        }
      }
      return failures;
    } finally {
      pool.shutdownNow();
    }
  }

  private void admit(ParquetSink sink, Staged staged) {
    schemas.admit(sink, staged.stagingUri(), staged.runKey(), staged.names(), false);
  }

  private Staged stage(ParquetSink sink, String runKey, Map<String, Object> row) {
    String staging = RunKeys.staging(sink, runKey);
    WriterState state;
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(files, sink, staging, runKey, null, null)) {
      writer.columns(List.copyOf(row.keySet()));
      writer.record(row.values().toArray());
      state = writer.finish();
    }
    return new Staged(runKey, staging, state.files());
  }

  private ParquetSink sink() {
    return new ParquetSink(table(), "append", null, null, null, null);
  }

  private MessageType stored() {
    return MessageTypeParser.parseMessageType(schemas.read(sink()).orElseThrow().schema());
  }

  private static String column(int round, int writer) {
    return "c_" + round + "_" + writer;
  }

  private static Map<String, Object> row(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
