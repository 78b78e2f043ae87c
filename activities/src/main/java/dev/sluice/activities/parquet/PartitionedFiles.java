package dev.sluice.activities.parquet;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;


/**
 * Rows fanned out to one rolling file sequence per partition directory ({@code
 * <staging>/<partition>/part-<runKey>-<seq>.parquet}), so each file holds one partition's rows.
 *
 * <p>Memory stays bounded whatever the number of partitions: at most {@value #MAX_OPEN} files are
 * open at once (the least recently written one is completed when another is needed), and each
 * rolls at {@value #MAX_PARTITION_FILE_MB} MB at most, so the pages buffered in memory stay below
 * about {@value #MAX_OPEN} × {@value #MAX_PARTITION_FILE_MB} MB. Data arriving in partition order
 * (the usual case: by time) keeps one or two files open.
 */
final class PartitionedFiles implements FileSet {
  /** Open partition files at most. */
  static final int MAX_OPEN = 16;

  /** The largest file a partition rolls at, bounding each open file's buffered pages. */
  static final int MAX_PARTITION_FILE_MB = 32;

  private final BiFunction<String, List<String>, RollingFileWriter> open;
  private final String stagingUri;
  private final StagingLayout.RowPartitioner partitioner;

  /** Finished files of earlier attempts, by directory (relative names inside it). */
  private final Map<String, List<String>> resumed = new LinkedHashMap<>();

  private final Map<String, RollingFileWriter> writers = new LinkedHashMap<>();

  /** Directories with an open file, least recently written first. */
  private final LinkedHashMap<String, Boolean> opened = new LinkedHashMap<>(16, 0.75f, true);

  private final long rowsBefore;
  private final long bytesBefore;
  private int[] sourceIndex = new int[0];

  /**
   * @param open the rolling files of a directory URI, continuing after the finished files given
   *     (written with {@link #capped} options)
   * @param stagingUri the run's staging directory
   * @param partitioner each row's directory under it
   * @param from the files of earlier attempts (names relative to the staging directory)
   */
  PartitionedFiles(
      BiFunction<String, List<String>, RollingFileWriter> open,
      String stagingUri,
      StagingLayout.RowPartitioner partitioner,
      ParquetStagingWriter.WriterState from) {
    this.open = open;
    this.stagingUri = stagingUri;
    this.partitioner = partitioner;
    for (String name : from.files()) {
      int slash = name.lastIndexOf('/');
      String dir = slash < 0 ? "" : name.substring(0, slash);
      resumed.computeIfAbsent(dir, d -> new ArrayList<>()).add(name.substring(slash + 1));
    }
    this.rowsBefore = from.rows();
    this.bytesBefore = from.bytes();
  }

  /** {@code options} with files rolling at {@value #MAX_PARTITION_FILE_MB} MB at most. */
  static SinkOptions capped(SinkOptions options) {
    long cap = MAX_PARTITION_FILE_MB * 1024L * 1024L;
    return new SinkOptions(
        options.codec(),
        Math.min(options.targetFileBytes(), cap),
        options.declared(),
        options.inferRows());
  }

  @Override
  public void sourceIndex(int[] sourceIndex) {
    this.sourceIndex = sourceIndex;
  }

  /** Columns written without a dictionary, in every partition's files opened from now on. */
  private java.util.Set<String> plainEncoded = java.util.Set.of();

  @Override
  public void plainEncoded(java.util.Set<String> columns) {
    plainEncoded = java.util.Set.copyOf(columns);
    writers.values().forEach(writer -> writer.plainEncoded(plainEncoded));
  }

  @Override
  public void write(Object[] row) {
    String dir = partitioner.directory(row, sourceIndex);
    RollingFileWriter writer = writers.get(dir);
    if (writer == null) {
      String uri = dir.isEmpty() ? stagingUri : stagingUri + "/" + dir;
      writer = open.apply(uri, resumed.getOrDefault(dir, List.of()));
      writer.plainEncoded(plainEncoded);
      writers.put(dir, writer);
    }
    if (!opened.containsKey(dir) && opened.size() >= MAX_OPEN) {
      Iterator<String> eldest = opened.keySet().iterator();
      writers.get(eldest.next()).closeCurrent();
      eldest.remove();
    }
    writer.write(row);
    opened.put(dir, Boolean.TRUE);
  }

  @Override
  public boolean reachedTarget() {
    return opened.keySet().stream().anyMatch(dir -> writers.get(dir).reachedTarget());
  }

  @Override
  public void closeCurrent() {
    for (String dir : opened.keySet()) {
      writers.get(dir).closeCurrent();
    }
    opened.clear();
  }

  @Override
  public void abandonCurrent() {
    for (String dir : opened.keySet()) {
      writers.get(dir).abandonCurrent();
    }
    opened.clear();
  }

  @Override
  public List<String> finished() {
    List<String> out = new ArrayList<>();
    java.util.Set<String> dirs = new java.util.LinkedHashSet<>(resumed.keySet());
    dirs.addAll(writers.keySet());
    for (String dir : dirs) {
      RollingFileWriter writer = writers.get(dir);
      List<String> names = writer == null ? resumed.get(dir) : writer.finished();
      for (String name : names) {
        out.add(dir.isEmpty() ? name : dir + "/" + name);
      }
    }
    return out;
  }

  @Override
  public long rows() {
    return rowsBefore + writers.values().stream().mapToLong(RollingFileWriter::rows).sum();
  }

  @Override
  public long bytes() {
    return bytesBefore + writers.values().stream().mapToLong(RollingFileWriter::bytes).sum();
  }
}
