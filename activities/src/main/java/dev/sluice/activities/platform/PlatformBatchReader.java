package dev.sluice.activities.platform;

import com.fasterxml.jackson.core.JsonFactory;
import dev.sluice.activities.formats.CsvPageParser;
import dev.sluice.activities.formats.MalformedDataException;
import dev.sluice.activities.formats.NdjsonPageParser;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.HttpMetrics;
import dev.sluice.activities.parquet.InvalidSinkException;
import dev.sluice.activities.parquet.ParquetStagingWriter;
import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.activities.parquet.SchemaMismatchException;
import dev.sluice.activities.parquet.StagingLayout;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.PlatformSourceMessages.ExtractBatchRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.ExtractBatchResult;
import dev.sluice.workflows.activities.RunKeys;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one source batch into staged Parquet: every physical file of every dataset file of the
 * batch is downloaded to a local temporary file (never into memory: Parquet's footer is at the
 * end), read (Parquet keeping its types; CSV with a header; JSON lines), and written through a
 * {@link ParquetStagingWriter}.
 *
 * <p><b>Names and retries.</b> Files are named from the source batch, {@code
 * part-<batchKey>-<seq>.parquet} ({@code batchKey} the batch ID made file-system-safe), so a batch
 * read again, by a retry or by a later run, overwrites its files instead of adding copies. The
 * staging writer clears its directory of every file no checkpoint lists, which would delete the
 * files of other batches read into the same run's staging directory (at the same time, with {@code
 * parallel} processing). So each batch is written into a directory of its own, {@code
 * <staging>/_extract/<batchKey>/}, and its finished files are then moved up into {@code <staging>}
 * under the same names (one rename on HDFS and local disks; a copy on object stores), replacing
 * those of an earlier attempt, whose leftovers are deleted. Publishing sees flat names, as from any
 * other extract. A retried attempt starts the batch over: batches are units of the platform's
 * choosing, and rereading one is cheaper than checkpointing inside it.
 */
record PlatformBatchReader(
    PlatformSession session,
    HadoopFiles files,
    HttpMetrics metrics,
    JsonFactory json,
    Progress progress,
    StagingLayout layout) {
  private static final Logger log = LoggerFactory.getLogger(PlatformBatchReader.class);

  /** Where batches are written before being moved into the staging directory. */
  static final String WORK_DIR = "_extract";

  private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};

  /**
   * Rows between checks whether the staged file reached its target size. Each check waits for the
   * writer thread to catch up, so not every row; often enough that a file overshoots its target by
   * a few hundred kilobytes at most.
   */
  static final int ROLL_CHECK_ROWS = 8192;

  private static final Pattern SEQUENCE = Pattern.compile("\\d{5}\\.parquet");

  /** Reports progress (rows so far) so the activity keeps heartbeating. */
  interface Progress {
    /** Called often; the implementation decides when to heartbeat {@code rows}. */
    void alive(long rows);
  }

  /**
   * Reads the batch of {@code request}; see the class documentation.
   *
   * @throws ApplicationFailure non-retryable {@link FailureType#MALFORMED_DATA} for a file that
   *     cannot be read, {@link FailureType#SCHEMA_MISMATCH} for a value or column the staged table
   *     cannot take, {@link FailureType#INVALID_PIPELINE} for an invalid sink; each naming batch
   *     and file. HTTP failures as {@link PlatformSession#execute} throws them.
   */
  ExtractBatchResult read(ExtractBatchRequest request, int pageSize) {
    String batchId = request.batchId();
    String batchKey = RunKeys.of(batchId);
    String staging = trimSlash(request.stagingUri());
    String work = staging + "/" + WORK_DIR + "/" + batchKey;
    DataAccessFiles access = new DataAccessFiles(session, pageSize);
    List<HttpUrl> datasetFiles = access.datasetFiles(batchId);
    BatchStagingWriter writer =
        new BatchStagingWriter(files, metrics, progress, request.sink(), work, batchKey, layout);
    String current = null;
    WriterState done;
    try {
      for (HttpUrl listing : datasetFiles) {
        for (DataAccessFiles.PhysicalFile file : access.physicalFiles(listing)) {
          current = file.label();
          writer.startFile(current);
          readFile(access, file, writer);
        }
      }
      current = null;
      done = writer.finish();
    } catch (MalformedFile e) {
      throw failed(writer, FailureType.MALFORMED_DATA.type(), batchId, current, e.getMessage(), e);
    } catch (MalformedDataException e) {
      // The parser names "page 1" (the file is its only page) and the line: keep the line.
      String problem = e.getMessage().replaceFirst("^page \\d+, ", "");
      throw failed(writer, FailureType.MALFORMED_DATA.type(), batchId, current, problem, e);
    } catch (SchemaMismatchException e) {
      // The writer may report a value only later (after inference, or from its thread): the
      // record number says which file it came from.
      String file = writer.fileOf(e.recordNumber()).orElse(current);
      throw failed(writer, FailureType.SCHEMA_MISMATCH.type(), batchId, file, e.getMessage(), e);
    } catch (ParquetRows.UnsupportedColumnException e) {
      throw failed(writer, FailureType.SCHEMA_MISMATCH.type(), batchId, current, e.getMessage(), e);
    } catch (InvalidSinkException e) {
      throw failed(writer, FailureType.INVALID_PIPELINE.type(), batchId, null, e.getMessage(), e);
    } catch (RuntimeException e) {
      writer.close();
      throw e;
    }
    List<String> names =
        promote(work, staging, layout.fileKey(batchKey), done.files(), done.rows());
    log.info(
        "read batch {}: {} dataset files, {} rows into {} staged files",
        batchId,
        datasetFiles.size(),
        done.rows(),
        names.size());
    return new ExtractBatchResult(
        batchId, done.rows(), done.bytes(), List.copyOf(names), datasetFiles.size());
  }

  /** Downloads one physical file to a temporary file and writes its rows. */
  private void readFile(
      DataAccessFiles access, DataAccessFiles.PhysicalFile file, BatchStagingWriter writer) {
    Path tmp;
    try {
      tmp = Files.createTempFile("sluice-platform-", ".part");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary file: " + e.getMessage(), e);
    }
    try {
      access.download(file, tmp, bytes -> progress.alive(writer.rows()));
      long before = writer.rows();
      if (startsWithMagic(tmp)) {
        readParquet(tmp, writer);
      } else if (file.name().toLowerCase(Locale.ROOT).endsWith(".parquet")) {
        throw new MalformedFile("not a Parquet file: it does not start with PAR1");
      } else {
        writer.open(List.of());
        try (InputStream in = Files.newInputStream(tmp)) {
          if (isJsonLines(file.name())) {
            new NdjsonPageParser(json).parse(in, 1, writer.sink());
          } else {
            new CsvPageParser(',', '"', true).parse(strictUtf8(in), 1, writer.sink());
          }
        } catch (CharacterCodingException e) {
          throw new MalformedFile("neither Parquet nor UTF-8 text (" + e + ")");
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + tmp + ": " + e.getMessage(), e);
        }
      }
      // Surfaces a value that does not fit while the file it came from is still the current one.
      writer.endFile();
      metrics.rows(file.content().host(), writer.rows() - before);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        log.warn("cannot delete temporary file {}: {}", tmp, e.getMessage());
      }
    }
  }

  private static void readParquet(Path tmp, BatchStagingWriter writer) {
    ParquetRows parquet;
    try {
      parquet = new ParquetRows(tmp);
    } catch (IOException e) {
      throw new MalformedFile("not a readable Parquet file: " + e.getMessage());
    }
    writer.open(parquet.declarations());
    try {
      parquet.read(writer.sink());
    } catch (IOException e) {
      // The file is complete on local disk: what cannot be decoded is its content.
      throw new MalformedFile("Parquet data cannot be decoded: " + e.getMessage());
    }
  }

  /** A file whose content cannot be read; the message says why. */
  private static final class MalformedFile extends RuntimeException {
    MalformedFile(String problem) {
      super(problem);
    }
  }

  /**
   * Moves the batch's finished files from its work directory into the staging directory, deletes
   * files of an earlier attempt at this batch that this one did not write, then the work directory.
   * A name may sit in a partition directory ({@code ts_day=2024-03-01/part-…}, an Iceberg table's),
   * which is kept under the staging directory.
   */
  private List<String> promote(
      String work, String staging, String fileKey, List<String> names, long rows) {
    FileSystem fs = files.fs(staging);
    org.apache.hadoop.fs.Path stagingDir = new org.apache.hadoop.fs.Path(staging);
    try {
      fs.mkdirs(stagingDir);
      Set<String> keep = new HashSet<>();
      for (String name : names) {
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(stagingDir, name);
        fs.mkdirs(target.getParent());
        files.moveOverwriting(fs, new org.apache.hadoop.fs.Path(work, name), target);
        keep.add(target.toUri().getPath());
        // On object stores each move is a copy: keep the activity alive between them.
        progress.alive(rows);
      }
      for (FileStatus status : earlierFiles(fs, stagingDir)) {
        String name = status.getPath().getName();
        if (ofBatch(fileKey, name) && !keep.contains(status.getPath().toUri().getPath())) {
          fs.delete(status.getPath(), false);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot move the staged files of " + work + " into " + staging + ": " + e.getMessage(),
          e);
    }
    files.delete(work);
    return names;
  }

  /**
   * The files of the staging directory and of its partition directories, not those of the work
   * directories batches are read into ({@link #WORK_DIR}) nor of the deferral's.
   */
  private static List<FileStatus> earlierFiles(FileSystem fs, org.apache.hadoop.fs.Path dir)
      throws IOException {
    List<FileStatus> out = new java.util.ArrayList<>();
    for (FileStatus status : fs.listStatus(dir)) {
      if (status.isFile()) {
        out.add(status);
      } else if (status.getPath().getName().contains("=")) {
        out.addAll(earlierFiles(fs, status.getPath()));
      }
    }
    return out;
  }

  /** Whether {@code name} is a staged file of the batch {@code batchKey} (and of no other). */
  static boolean ofBatch(String batchKey, String name) {
    String prefix = "part-" + batchKey + "-";
    return name.startsWith(prefix) && SEQUENCE.matcher(name.substring(prefix.length())).matches();
  }

  private static boolean isJsonLines(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".json") || lower.endsWith(".jsonl") || lower.endsWith(".ndjson");
  }

  private static boolean startsWithMagic(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(PARQUET_MAGIC.length);
      return java.util.Arrays.equals(head, PARQUET_MAGIC);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** UTF-8 that fails on bytes that are not: a binary file must not pass for text. */
  private static Reader strictUtf8(InputStream in) {
    return new InputStreamReader(
        in,
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT));
  }

  private static ApplicationFailure failed(
      BatchStagingWriter writer,
      String type,
      String batchId,
      String file,
      String problem,
      Exception cause) {
    writer.close();
    String where = "batch " + batchId + (file == null ? "" : ", file " + file);
    return ApplicationFailure.newNonRetryableFailureWithCause(where + ": " + problem, type, cause);
  }

  private static String trimSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
