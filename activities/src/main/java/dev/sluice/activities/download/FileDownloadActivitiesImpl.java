package dev.sluice.activities.download;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.ProviderClients;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.filedownload.FileDownloadActivities;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DiscardIncomingRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DiscardIncomingResult;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesResult;
import dev.sluice.workflows.filedownload.FileDownloadMessages.FileFailure;
import dev.sluice.workflows.filedownload.FileDownloadPaths;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FileDownloadActivities} over OkHttp, Hadoop's {@code FileSystem} and {@link SftpFiles}.
 * One instance per worker.
 */
public final class FileDownloadActivitiesImpl extends FileSourceActivities
    implements FileDownloadActivities {
  private static final Logger log = LoggerFactory.getLogger(FileDownloadActivitiesImpl.class);

  /** Well inside LONG_TRANSFER's 2-minute heartbeat timeout, even on a slow link. */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(10);

  private static final int BUFFER = 1 << 16;

  /**
   * @param providers the worker's provider clients (client, mapper, secrets, meters, tokens)
   * @param files reaches the sink's file system and prefix sources
   */
  public FileDownloadActivitiesImpl(ProviderClients providers, HadoopFiles files) {
    super(providers, files);
  }

  @Override
  public DownloadFilesResult downloadListedFiles(DownloadFilesRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    Beat beat = new Beat(context);
    RangeCheckpoint at =
        context
            .getHeartbeatDetails(RangeCheckpoint.class)
            .orElse(new RangeCheckpoint(request.from(), 0, 0, 0, List.of()));
    if (at.next() > request.from()) {
      log.info(
          "resuming files {}..{} at {} after an earlier attempt",
          request.from(),
          request.to() - 1,
          at.next());
    }
    DownloadSource source = new DownloadSource(providers, files, sftp, request);
    for (ListedFile file : readRange(request.listingUri(), at.next(), request.to())) {
      at = land(file, request, source, at, beat);
      beat.now(at);
    }
    return new DownloadFilesResult(at.downloaded(), at.skipped(), at.bytes(), at.failures());
  }

  @Override
  public DiscardIncomingResult discardIncomingFiles(DiscardIncomingRequest request) {
    return new DiscardIncomingResult(files.delete(request.incomingUri()));
  }

  /** Lands one file (or finds it landed, or records why it cannot); returns the next checkpoint. */
  RangeCheckpoint land(
      ListedFile file,
      DownloadFilesRequest request,
      DownloadSource source,
      RangeCheckpoint at,
      Beat beat) {
    String targetUri = FileDownloadPaths.target(request.landingUri(), file.name());
    String manifestUri = FileDownloadPaths.landed(request.landingUri(), file.name());
    FileSystem lake = files.fs(targetUri);
    Path target = new Path(targetUri);
    if (alreadyLanded(file, lake, target, manifestUri)) {
      return at.skippedOne();
    }
    Path part = new Path(request.incomingUri() + "/" + file.index() + ".part");
    String mismatch = null;
    // A first mismatch may be a glitch on the way (or a file replaced while we read it): fetch
    // again at once; a second one is the source's fault and is reported.
    for (int attempt = 1; attempt <= 2; attempt++) {
      Copied copied;
      try {
        copied = copy(file, source, lake, part, beat, at);
      } catch (DownloadSource.MissingFile e) {
        return at.failed(
            new FileFailure(
                file.index(),
                file.name(),
                FailureType.FILE_NOT_FOUND.type(),
                file.name() + ": " + e.getMessage()));
      } catch (ApplicationFailure e) {
        if (FailureType.HTTP_CLIENT_ERROR.type().equals(e.getType())) {
          // One file refused (an expired link, a 403): the others of the range may still land.
          return at.failed(
              new FileFailure(
                  file.index(),
                  file.name(),
                  e.getType(),
                  file.name() + ": " + e.getOriginalMessage()));
        }
        throw e;
      }
      mismatch = mismatch(file, copied);
      if (mismatch == null) {
        try {
          lake.mkdirs(target.getParent());
          files.moveOverwriting(lake, part, target);
        } catch (IOException e) {
          throw new UncheckedIOException(
              "cannot move " + part + " to " + target + ": " + e.getMessage(), e);
        }
        writeManifest(manifestUri, file, copied, request);
        return at.landed(copied.bytes());
      }
      log.warn("{} (attempt {} of 2)", mismatch, attempt);
    }
    files.delete(part.toString());
    return at.failed(
        new FileFailure(
            file.index(), file.name(), FailureType.CHECKSUM_MISMATCH.type(), mismatch));
  }

  private boolean alreadyLanded(ListedFile file, FileSystem lake, Path target, String manifestUri) {
    Optional<String> text = files.readString(manifestUri);
    if (text.isEmpty()) {
      return false;
    }
    LandedManifest manifest;
    try {
      manifest = providers.json().readValue(text.get(), LandedManifest.class);
    } catch (IOException e) {
      log.warn("unreadable manifest {}: downloading {} again", manifestUri, file.name());
      return false;
    }
    if (!manifest.sameAs(file)) {
      return false;
    }
    try {
      FileStatus status = lake.getFileStatus(target);
      // Someone may have deleted or truncated the landed file since: then it is fetched again.
      return status.isFile() && status.getLen() == manifest.size();
    } catch (FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + target + ": " + e.getMessage(), e);
    }
  }

  /** What a copy measured. */
  record Copied(long bytes, byte[] digest) {}

  private Copied copy(
      ListedFile file,
      DownloadSource source,
      FileSystem lake,
      Path part,
      Beat beat,
      RangeCheckpoint at)
      throws DownloadSource.MissingFile {
    MessageDigest digest = file.checksum() == null ? null : Checksums.digest(file.algorithm());
    try (DownloadSource.Opened in = source.open(file)) {
      long n = 0;
      try (OutputStream out = lake.create(part, true)) {
        byte[] buffer = new byte[BUFFER];
        while (true) {
          int read;
          try {
            read = in.stream().read(buffer);
          } catch (IOException e) {
            throw in.readFailed(file, n, e);
          }
          if (read < 0) {
            break;
          }
          out.write(buffer, 0, read);
          if (digest != null) {
            digest.update(buffer, 0, read);
          }
          n += read;
          beat.keepAlive(at);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + part + ": " + e.getMessage(), e);
      }
      return new Copied(n, digest == null ? null : digest.digest());
    }
  }

  /** Why {@code copied} is not the file the listing describes, or null when it is. */
  private static String mismatch(ListedFile file, Copied copied) {
    if (file.size() != null && file.size() != copied.bytes()) {
      return file.name()
          + ": size mismatch, expected "
          + file.size()
          + " bytes, got "
          + copied.bytes();
    }
    if (file.checksum() != null) {
      byte[] expected =
          Checksums.decode(file.checksum(), Checksums.digest(file.algorithm()).getDigestLength());
      if (!MessageDigest.isEqual(expected, copied.digest())) {
        return file.name()
            + ": "
            + file.algorithm()
            + " checksum mismatch, expected "
            + Checksums.hex(expected)
            + ", got "
            + Checksums.hex(copied.digest());
      }
    }
    return null;
  }

  private void writeManifest(
      String manifestUri, ListedFile file, Copied copied, DownloadFilesRequest request) {
    String location = file.location();
    int query = location.indexOf('?');
    LandedManifest manifest =
        new LandedManifest(
            file.name(),
            query < 0 ? location : location.substring(0, query),
            copied.bytes(),
            file.modified(),
            file.checksum(),
            file.algorithm(),
            runKeyOf(request.incomingUri()));
    try {
      files.writeStringAtomically(manifestUri, providers.json().writeValueAsString(manifest));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a manifest always serializes", e);
    }
  }

  private static String runKeyOf(String incomingUri) {
    return incomingUri.substring(incomingUri.lastIndexOf('/') + 1);
  }

  /** The listed files {@code from} (inclusive) to {@code to} (exclusive), read in one pass. */
  private List<ListedFile> readRange(String listingUri, int from, int to) {
    List<ListedFile> range = new ArrayList<>(Math.max(0, to - from));
    if (from >= to) {
      return range;
    }
    Path path = new Path(listingUri);
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(files.fs(listingUri).open(path), StandardCharsets.UTF_8))) {
      int index = 0;
      String line;
      while (index < to && (line = in.readLine()) != null) {
        if (index >= from) {
          ListedFile file = providers.json().readValue(line, ListedFile.class);
          if (file.index() != index) {
            throw ApplicationFailure.newNonRetryableFailure(
                "staging list " + listingUri + " is out of order at line " + index,
                FailureType.STAGED_FILE_MISSING.type());
          }
          range.add(file);
        }
        index++;
      }
    } catch (FileNotFoundException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "staging list " + listingUri + " is gone; run the window again to list anew",
          FailureType.STAGED_FILE_MISSING.type());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + listingUri + ": " + e.getMessage(), e);
    }
    if (range.size() != to - from) {
      throw ApplicationFailure.newNonRetryableFailure(
          "staging list " + listingUri + " ends before file " + (to - 1),
          FailureType.STAGED_FILE_MISSING.type());
    }
    return range;
  }

  /** Heartbeats the checkpoint: after each file, and every {@link #KEEP_ALIVE} while bytes flow. */
  static final class Beat {
    private final ActivityExecutionContext context;
    private long last = System.nanoTime();

    Beat(ActivityExecutionContext context) {
      this.context = context;
    }

    void now(RangeCheckpoint at) {
      last = System.nanoTime();
      context.heartbeat(at);
    }

    void keepAlive(RangeCheckpoint at) {
      if (System.nanoTime() - last > KEEP_ALIVE.toNanos()) {
        now(at);
      }
    }
  }
}
