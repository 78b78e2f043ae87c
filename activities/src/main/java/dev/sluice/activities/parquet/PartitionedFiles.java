package dev.sluice.activities.parquet;

import dev.sluice.activities.fs.HadoopFiles;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.RecordConsumer;

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

  private final HadoopFiles files;
  private final String stagingUri;
  private final String runKey;
  private final SinkOptions options;
  private final RowWriteSupport support;
  private final StagingLayout.RowPartitioner partitioner;

  /** Finished files of earlier attempts, by directory (relative names inside it). */
  private final Map<String, List<String>> resumed = new LinkedHashMap<>();

  private final Map<String, RollingFileWriter> writers = new LinkedHashMap<>();

  /** Directories with an open file, least recently written first. */
  private final LinkedHashMap<String, Boolean> open = new LinkedHashMap<>(16, 0.75f, true);

  private final long rowsBefore;
  private final long bytesBefore;
  private int[] sourceIndex = new int[0];

  PartitionedFiles(
      HadoopFiles files,
      String stagingUri,
      String runKey,
      SinkOptions options,
      RowWriteSupport support,
      StagingLayout.RowPartitioner partitioner,
      List<String> finished,
      long rows,
      long bytes) {
    this.files = files;
    this.stagingUri = stagingUri;
    this.runKey = runKey;
    long cap = MAX_PARTITION_FILE_MB * 1024L * 1024L;
    this.options =
        new SinkOptions(
            options.codec(),
            Math.min(options.targetFileBytes(), cap),
            options.declared(),
            options.inferRows());
    this.support = support;
    this.partitioner = partitioner;
    for (String name : finished) {
      int slash = name.lastIndexOf('/');
      String dir = slash < 0 ? "" : name.substring(0, slash);
      resumed.computeIfAbsent(dir, d -> new ArrayList<>()).add(name.substring(slash + 1));
    }
    this.rowsBefore = rows;
    this.bytesBefore = bytes;
  }

  @Override
  public void sourceIndex(int[] sourceIndex) {
    this.sourceIndex = sourceIndex;
  }

  @Override
  public void write(Object[] row) {
    String dir = partitioner.directory(row, sourceIndex);
    RollingFileWriter writer = writers.get(dir);
    if (writer == null) {
      String uri = dir.isEmpty() ? stagingUri : stagingUri + "/" + dir;
      List<String> before = resumed.getOrDefault(dir, List.of());
      writer =
          new RollingFileWriter(files, uri, runKey, options, new OwnConsumer(support), before, 0, 0);
      writers.put(dir, writer);
    }
    if (!open.containsKey(dir) && open.size() >= MAX_OPEN) {
      Iterator<String> eldest = open.keySet().iterator();
      writers.get(eldest.next()).closeCurrent();
      eldest.remove();
    }
    writer.write(row);
    open.put(dir, Boolean.TRUE);
  }

  @Override
  public boolean reachedTarget() {
    return open.keySet().stream().anyMatch(dir -> writers.get(dir).reachedTarget());
  }

  @Override
  public void closeCurrent() {
    for (String dir : open.keySet()) {
      writers.get(dir).closeCurrent();
    }
    open.clear();
  }

  @Override
  public void abandonCurrent() {
    for (String dir : open.keySet()) {
      writers.get(dir).abandonCurrent();
    }
    open.clear();
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

  /**
   * The shared row writer bound to one file's consumer: Parquet hands each open file its own
   * {@code RecordConsumer}, and several files are open at once.
   */
  private static final class OwnConsumer extends WriteSupport<Object[]> {
    private final RowWriteSupport rows;
    private RecordConsumer out;

    OwnConsumer(RowWriteSupport rows) {
      this.rows = rows;
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return rows.init(configuration);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.out = recordConsumer;
    }

    @Override
    public void write(Object[] row) {
      rows.write(out, row);
    }
  }

  @Override
  public long bytes() {
    return bytesBefore + writers.values().stream().mapToLong(RollingFileWriter::bytes).sum();
  }
}
