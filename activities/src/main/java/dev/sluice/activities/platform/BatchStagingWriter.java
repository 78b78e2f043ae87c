package dev.sluice.activities.platform;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.HttpMetrics;
import dev.sluice.activities.parquet.ParquetStagingWriter;
import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.activities.parquet.RecordSink;
import dev.sluice.activities.parquet.StagingLayout;
import dev.sluice.activities.parquet.WatermarkRange;
import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.LakeTable;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The staging writer of one batch, opened at the batch's first file (whose Parquet schema, if it
 * has one, declares the columns the sink does not), behind a sink that keeps one growing column
 * list across the batch's files, as {@link RecordSink} requires.
 */
final class BatchStagingWriter {
  private final HadoopFiles files;
  private final HttpMetrics metrics;
  private final PlatformBatchReader.Progress progress;
  private final LakeTable sink;
  private final String dir;
  private final String batchKey;
  private final StagingLayout layout;
  private final List<String> names = new ArrayList<>();
  private final Map<String, Integer> index = new HashMap<>();

  /** Labels of the files read so far and the number of their first record (1-based). */
  private final List<String> fileLabels = new ArrayList<>();

  private final List<Long> fileFirstRecords = new ArrayList<>();
  private ParquetStagingWriter writer;
  private int[] mapping;
  private boolean identity;
  private long rows;

  BatchStagingWriter(
      HadoopFiles files,
      HttpMetrics metrics,
      PlatformBatchReader.Progress progress,
      LakeTable sink,
      String dir,
      String batchKey,
      StagingLayout layout) {
    if (sink == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the platform source needs a table sink (parquet or iceberg) to stage into",
          FailureType.INVALID_PIPELINE.type());
    }
    this.files = files;
    this.metrics = metrics;
    this.progress = progress;
    this.sink = sink;
    this.dir = dir;
    this.batchKey = batchKey;
    this.layout = layout;
  }

  /** Opens the writer if this is the batch's first file. */
  void open(List<ColumnSpec> fileColumns) {
    if (writer != null) {
      return;
    }
    List<ColumnSpec> columns = new ArrayList<>(sink.columns());
    Set<String> declared = new HashSet<>();
    sink.columns().forEach(c -> declared.add(c.name()));
    // The pipeline's declarations win; the file's own types fill in the rest.
    fileColumns.stream().filter(c -> !declared.contains(c.name())).forEach(columns::add);
    LakeTable typed =
        new ParquetSink(
            sink.path(),
            sink.mode(),
            sink.compression(),
            sink.targetFileSize(),
            columns,
            sink.inferRows());
    writer =
        new ParquetStagingWriter(
            files, typed, dir, batchKey, null, WatermarkRange.all(), null, layout);
  }

  RecordSink sink() {
    return new RecordSink() {
      @Override
      public void columns(List<String> fileNames) {
        BatchStagingWriter.this.columns(fileNames);
      }

      @Override
      public void record(Object[] values) {
        BatchStagingWriter.this.record(values);
      }
    };
  }

  private void columns(List<String> fileNames) {
    boolean grew = false;
    mapping = new int[fileNames.size()];
    identity = true;
    for (int i = 0; i < fileNames.size(); i++) {
      Integer at = index.get(fileNames.get(i));
      if (at == null) {
        at = names.size();
        names.add(fileNames.get(i));
        index.put(fileNames.get(i), at);
        grew = true;
      }
      mapping[i] = at;
      identity &= at == i;
    }
    if (grew) {
      writer.columns(List.copyOf(names));
    }
  }

  private void record(Object[] values) {
    Object[] row = values;
    if (!identity) {
      row = new Object[names.size()];
      for (int i = 0; i < values.length && i < mapping.length; i++) {
        row[mapping[i]] = values[i];
      }
    }
    writer.record(row);
    if (++rows % 1024 == 0) {
      progress.alive(rows);
    }
    if (rows % PlatformBatchReader.ROLL_CHECK_ROWS == 0) {
      // A source file may be far larger than targetFileSize: staged files roll inside it too.
      writer.endPage();
    }
  }

  long rows() {
    return rows;
  }

  void startFile(String label) {
    fileLabels.add(label);
    fileFirstRecords.add(rows + 1);
  }

  /** The file record {@code recordNumber} (1-based, over the batch) came from. */
  Optional<String> fileOf(long recordNumber) {
    for (int i = fileLabels.size() - 1; i >= 0; i--) {
      if (fileFirstRecords.get(i) <= recordNumber) {
        return Optional.of(fileLabels.get(i));
      }
    }
    return Optional.empty();
  }

  void endFile() {
    if (writer != null) {
      writer.endPage();
    }
  }

  WriterState finish() {
    if (writer == null) {
      return new WriterState(List.of(), 0, 0, null, List.of());
    }
    WriterState state = writer.finish();
    metrics.written(null).observe(state);
    return state;
  }

  void close() {
    if (writer != null) {
      writer.close();
    }
  }
}
