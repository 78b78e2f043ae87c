package dev.sluice.activities.parquet;

import static dev.sluice.activities.parquet.StagingLayout.PLAIN;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.pipeline.LakeTable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * Writes a run's records as Parquet files {@code part-<runKey>-<seq>.parquet} into its staging
 * directory, ready for {@code ParquetSinkActivities.publish}.
 *
 * <p>The schema is fixed from the declared columns and the first {@code sink.inferRows()} records,
 * which are buffered until then; afterwards records stream through a bounded queue to a writer
 * thread that converts and encodes them while the caller parses the next ones (while that thread
 * is behind, the caller converts the next batches itself: {@link AheadConversion}). A file is
 * rolled at page boundaries once it reaches {@code sink.targetFileSize()}, or earlier when the
 * caller asks for a {@link #checkpoint()}; each roll yields a {@link WriterState} from which a
 * later attempt resumes with the same schema and numbering.
 *
 * <p>A column (or a field of an inferred struct) first seen after the schema was fixed joins it:
 * the open file is completed there, mid-page, the records from there on are buffered as the first
 * ones were to type it, and the next file's schema is the old one plus it (nullable; no type
 * changes). That depends only on the records, so an attempt resumed from an earlier checkpoint
 * re-creates the same files under the same names. No checkpoint is taken while records wait.
 *
 * <p>Not thread-safe: one extractor thread calls it. Failures of the writer thread are thrown,
 * unchanged, by the next call: {@link SchemaMismatchException} when a value does not fit, {@link
 * UncheckedIOException} naming the file for I/O errors.
 */
public final class ParquetStagingWriter implements RecordSink, AutoCloseable {
  /** Rows per hand-over to the writer thread: amortizes queue synchronization. */
  private static final int BATCH_ROWS = 512;

  /** Batches in flight: enough to ride out bursts, small enough to bound memory. */
  private static final int QUEUE_BATCHES = 4;

  private final HadoopFiles hadoop;
  private final SinkOptions options;
  private final String stagingUri;
  private final String runKey;
  private final String watermarkColumn;
  private final WatermarkRange range;
  private final StagingLayout layout;

  /**
   * Rows dropped outside the window's range, over the whole run (by this thread for rows converted
   * ahead, else by the writer thread).
   */
  private final java.util.concurrent.atomic.AtomicLong dropped;
  /** Where this attempt starts: the resumed checkpoint, or nothing. */
  private final WriterState start;

  private final WriterThread thread;
  private List<String> names = List.of();
  /** Records delivered so far, over the whole run. */
  private long received;
  private List<Object[]> inferenceBuffer = new ArrayList<>();
  /** Set once the schema is fixed; from then on rows go to the writer thread. */
  private List<Column> schema;
  /** The schema being widened while records are buffered to type new columns, else null. */
  private List<Column> widening;
  /** Per column of the schema, whether it is a struct or list that may grow; null when none is. */
  private boolean[] growable;
  private RowWriteSupport support;
  private FileSet parts;
  /** Converts rows on this thread while the writer is behind; null when partitioned. */
  private AheadConversion ahead;
  /** Whether rows go to a partitioner, which reads their values as Strings. */
  private boolean partitioned;
  /** Whether the batch's rows are being converted; how many leading ones were. */
  private boolean converting;
  private int convertedRows;
  private WatermarkTracker watermark;
  private int[] sourceIndex;
  private Object[][] batch = new Object[BATCH_ROWS][];
  private int batchSize;
  private boolean done;
  /** Schema index of the watermark column when rows outside the range are dropped, else -1. */
  private int filterIndex = -1;

  /**
   * Prepares the staging directory (creating it, deleting files no checkpoint lists) and starts the
   * writer thread.
   *
   * @param files file systems of the worker
   * @param sink the sink: declared columns, inference rows, compression, file size
   * @param stagingUri directory the files are written to
   * @param runKey file-system-safe key of the run; file names derive from it
   * @param watermarkColumn column whose maximum is tracked, or null
   * @param resumeFrom state of an earlier attempt to continue from, or null for a fresh start
   * @throws InvalidSinkException when the sink definition is invalid
   * @throws IllegalStateException when a file of {@code resumeFrom} is missing from staging
   * @throws UncheckedIOException when the staging directory cannot be prepared
   */
  public ParquetStagingWriter(
      HadoopFiles files,
      LakeTable sink,
      String stagingUri,
      String runKey,
      String watermarkColumn,
      WriterState resumeFrom) {
    this(
        files, sink, stagingUri, runKey, watermarkColumn, WatermarkRange.all(), resumeFrom, PLAIN);
  }

  /**
   * As above, dropping rows whose watermark lies outside {@code range} (they belong to other
   * windows; counted in {@link WriterState#dropped}), with the files laid out as the table's
   * format wants them ({@code layout}: field IDs, a directory per partition).
   *
   * @throws InvalidSinkException also when a bound of {@code range} is not a value of the
   *     watermark column's type (raised when the schema is fixed)
   * @throws SchemaMismatchException when the table's format refuses the run's columns (raised
   *     when the schema is fixed, before any file opens)
   */
  public ParquetStagingWriter(
      HadoopFiles files,
      LakeTable sink,
      String stagingUri,
      String runKey,
      String watermarkColumn,
      WatermarkRange range,
      WriterState resumeFrom,
      StagingLayout layout) {
    this.range = range;
    this.layout = layout;
    this.hadoop = files;
    this.options = SinkOptions.of(sink);
    this.stagingUri = stagingUri;
    this.runKey = layout.fileKey(runKey); // the files' names: part-<key>-<seq>.parquet
    this.watermarkColumn = watermarkColumn;
    boolean resuming = resumeFrom != null && !resumeFrom.schema().isEmpty();
    this.start = resuming ? resumeFrom : new WriterState(List.of(), 0, 0, null, List.of());
    this.dropped = new java.util.concurrent.atomic.AtomicLong(start.dropped());
    PartFiles.prepareStaging(files.fs(stagingUri), new Path(stagingUri), this.runKey, start.files());
    this.received = start.rows();
    if (resuming) {
      fixSchema(start.schema());
    }
    this.thread = new WriterThread("parquet-writer-" + runKey, QUEUE_BATCHES);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A name the fixed schema lacks completes the open file and starts typing the new columns.
   *
   * @throws SchemaMismatchException from the writer thread, for an earlier record
   * @throws UncheckedIOException when the open file cannot be completed
   */
  @Override
  public void columns(List<String> names) {
    this.names = List.copyOf(names);
    if (schema == null) {
      return;
    }
    submitBatch(); // queued rows keep the mapping they were read with
    int[] index = SchemaInference.positions(schema, this.names);
    if (index == null) {
      widen();
    } else {
      sourceIndex = index;
    }
  }

  /** Completes the open file; the records from here on are buffered to type what is new. */
  private void widen() {
    submitBatch();
    thread.drain();
    parts.closeCurrent();
    widening = schema;
    schema = null;
    growable = null;
    inferenceBuffer = new ArrayList<>();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Yes: string columns are written with a {@link Utf8Text}'s own bytes, typed columns parse
   * its text; records that inference, new nested fields or partitions read are decoded first.
   */
  @Override
  public boolean takesUtf8Text() {
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * @throws SchemaMismatchException from the writer thread, for an earlier record
   * @throws IllegalArgumentException when the record has more values than there are columns
   */
  @Override
  public void record(Object[] values) {
    checkOpen();
    if (values.length > names.size()) {
      throw new IllegalArgumentException(
          String.format(
              "record %d has %d values for %d columns", received + 1, values.length, names.size()));
    }
    received++;
    if (schema == null || growable != null || partitioned) {
      // Inference, new nested fields and partitions read text as Strings; only the writer's value
      // conversion (RowWriteSupport, AheadConversion, the watermark and its range) reads Utf8Text.
      Utf8Text.decode(values);
    }
    if (growable != null && NewFields.in(schema, growable, sourceIndex, values)) {
      widen();
    }
    if (schema == null) {
      inferenceBuffer.add(values);
      if (inferenceBuffer.size() >= options.inferRows()) {
        fixSchemaFromBuffer();
      }
      return;
    }
    thread.throwFailure();
    add(values);
  }

  /**
   * Called by the extractor after each complete page. If the current file has reached the sink's
   * targetFileSize, closes it and returns the new durable state (a checkpoint the caller heartbeats
   * together with its page cursor); otherwise returns null. Files are only ever closed at page
   * boundaries.
   *
   * @throws SchemaMismatchException when a record of the page does not fit the schema
   * @throws UncheckedIOException when a file cannot be written
   */
  public WriterState endPage() {
    return closeFile(false);
  }

  /**
   * Called by the extractor after a complete page when the pages read so far must become durable
   * (its checkpoint interval passed): closes the current file whatever its size and returns the new
   * durable state. Returns null while the schema is not fixed yet (records are still buffered for
   * inference, so nothing can be written).
   *
   * @throws SchemaMismatchException when a record does not fit the schema
   * @throws UncheckedIOException when a file cannot be written
   */
  public WriterState checkpoint() {
    return closeFile(true);
  }

  /**
   * Writes what is batched, then closes the current file when {@code always} or when it reached
   * its target size; the new durable state then, else null (also before the schema is fixed).
   */
  private WriterState closeFile(boolean always) {
    checkOpen();
    if (schema == null) {
      return null;
    }
    submitBatch();
    thread.drain();
    if (!always && !parts.reachedTarget()) {
      return null;
    }
    parts.closeCurrent();
    return state();
  }

  /**
   * Closes the last file and returns the final state.
   *
   * @throws SchemaMismatchException when a record does not fit the schema
   * @throws UncheckedIOException when a file cannot be written
   */
  public WriterState finish() {
    checkOpen();
    if (schema == null && widening != null && inferenceBuffer.isEmpty()) {
      schema = widening; // new names but no record: no file needs them
    }
    if (schema == null && !inferenceBuffer.isEmpty()) {
      fixSchemaFromBuffer();
    }
    if (schema != null) {
      submitBatch();
      thread.drain();
      parts.closeCurrent();
    }
    done = true;
    thread.close();
    return state();
  }

  /**
   * Abandons the current (unfinished) file and deletes it; used when an attempt fails. After {@link
   * #finish} it only releases resources. Idempotent.
   */
  @Override
  public void close() {
    thread.close();
    if (!done) {
      done = true;
      if (parts != null) {
        parts.abandonCurrent();
      }
    }
  }

  /**
   * The durable progress of a writer: a checkpoint to heartbeat, and the result of {@link #finish}.
   *
   * @param files staged file names (not paths), in order
   * @param rows rows in those files
   * @param bytes total length of those files
   * @param maxWatermark source text of the highest watermark value so far, or null
   * @param schema the schema of the run's last file (empty when no row arrived); an earlier file's
   *     schema is the same or a part of it (columns that appeared later are missing)
   * @param dropped rows dropped outside the window's watermark range, not in {@code rows}
   */
  public record WriterState(
      List<String> files,
      long rows,
      long bytes,
      String maxWatermark,
      List<Column> schema,
      long dropped) {

    /** A state with nothing dropped. */
    public WriterState(
        List<String> files, long rows, long bytes, String maxWatermark, List<Column> schema) {
      this(files, rows, bytes, maxWatermark, schema, 0);
    }
  }

  private WriterState state() {
    if (schema == null) {
      return start;
    }
    return new WriterState(
        parts.finished(),
        parts.rows(),
        parts.bytes(),
        watermark == null ? null : watermark.max(),
        schema,
        dropped.get());
  }

  private void fixSchemaFromBuffer() {
    fixSchema(
        widening == null
            ? SchemaInference.infer(names, inferenceBuffer, options.declared())
            : SchemaInference.extend(widening, names, inferenceBuffer, options.declared()));
    widening = null;
    parts.plainEncoded(DictionaryChoice.plainColumns(schema, sourceIndex, inferenceBuffer));
    for (Object[] row : inferenceBuffer) {
      add(row);
    }
    inferenceBuffer = null;
  }

  private void fixSchema(List<Column> columns) {
    int watermarkIndex = -1;
    if (watermarkColumn != null) {
      watermarkIndex = WatermarkTracker.indexIn(columns, watermarkColumn, received);
      watermark =
          new WatermarkTracker(
              ValueWriter.forColumn(columns.get(watermarkIndex)),
              watermark == null ? start.maxWatermark() : watermark.max());
      if (range.bounded()) {
        range.compareAs(columns.get(watermarkIndex));
        filterIndex = watermarkIndex;
      }
    }
    schema = List.copyOf(columns);
    growable = NewFields.growable(schema, options.declared());
    StagingLayout.Fixed fixed = layout.fix(schema); // may evolve or refuse: before any file opens
    WriterState from = parts == null ? start : parts.sofar(); // files before a widening, if any
    support = new RowWriteSupport(schema, from.rows(), watermarkIndex, watermark);
    parts = FileSet.open(hadoop, stagingUri, runKey, options, support, fixed, from);
    partitioned = fixed.partitioner() != null;
    ahead = partitioned ? null : support.ahead(); // partitions read parsed rows
    sourceIndex = SchemaInference.positions(schema, names);
  }

  /**
   * Adds a row to the batch; converts it first, while its values are still in this core's cache,
   * when the batch started with the writer behind by half its queue or more (the slower thread).
   */
  private void add(Object[] row) {
    if (batchSize == 0) {
      converting = ahead != null && thread.backlog() >= QUEUE_BATCHES / 2;
    }
    Object[] converted = converting ? ahead.convert(row, sourceIndex) : null;
    converting = converted != null; // a value that does not convert is the writer's to report
    if (converting && RowBatch.outside(range, filterIndex, converted)) {
      dropped.incrementAndGet(); // another window's row: dropped here, not by the writer thread
      return;
    }
    batch[batchSize++] = converting ? converted : row;
    convertedRows += converting ? 1 : 0;
    if (batchSize == BATCH_ROWS) {
      submitBatch();
    }
  }

  /** Hands the current batch, with the column mapping it was read with, to the writer thread. */
  private void submitBatch() {
    if (batchSize == 0) {
      return;
    }
    Object[][] rows = batchSize == BATCH_ROWS ? batch : Arrays.copyOf(batch, batchSize);
    thread.submit(
        new RowBatch(
            rows, convertedRows, sourceIndex, support, parts, range, filterIndex, dropped));
    convertedRows = 0;
    batch = new Object[BATCH_ROWS][];
    batchSize = 0;
  }

  private void checkOpen() {
    if (done) {
      throw new IllegalStateException("the staging writer is finished or closed");
    }
  }
}
