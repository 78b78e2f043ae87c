package dev.sluice.activities.parquet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.pipeline.LakeTable;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The windows of a table and who runs them, beside the table under {@code _sluice/}:
 *
 * <ul>
 *   <li>{@code windows/<windowKey>.json}: the range a committed window owns ({@link
 *       WindowRange}), written last by its publish, so it is the window's commit marker;
 *   <li>{@code leases/window-<windowKey>.json}: the run currently running the window;
 *   <li>{@code leases/head.json}: the new window currently reading after the table's watermark (two
 *       of them at once would both read the same rows);
 *   <li>{@code leases/waiting/<windowKey>.json}: new windows waiting for the head, so the oldest
 *       goes first.
 * </ul>
 *
 * <p>A lease names its holder's workflow and first run ID. It is taken over when that workflow is
 * no longer running ({@link RunLiveness}), so a terminated run never blocks its window for good.
 */
public final class WindowLedger {
  /** Its own mapper: this class alone owns the files' format. */
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  static final String HEAD = "head";

  private final HadoopFiles files;
  private final Clock clock;

  WindowLedger(HadoopFiles files, Clock clock) {
    this.files = files;
    this.clock = clock;
  }

  /** A lease file's content. */
  record Lease(String workflowId, String firstRunId, String window, String claimedAt) {
    Holder holder() {
      return new Holder(workflowId, firstRunId);
    }

    String describe() {
      return workflowId + " (run " + firstRunId + ", window " + window + ", since " + claimedAt + ")";
    }
  }

  /** Whether a workflow has an open execution; answers from the Temporal service. */
  interface RunLiveness {
    boolean isRunning(String workflowId);
  }

  /** The outcome of a claim: held, or held by someone else (who). */
  record Claim(boolean held, Lease holder) {}

  /**
   * Claims lease {@code name} for {@code holder}: held when free, already ours, or held by a
   * workflow that is no longer running (taken over).
   */
  Claim claim(LakeTable table, String name, Holder holder, String window, RunLiveness live) {
    String uri = leaseUri(table, name);
    Lease mine = new Lease(holder.workflowId(), holder.firstRunId(), window, now());
    for (int attempt = 0; attempt < 3; attempt++) {
      if (files.createIfAbsent(uri, write(mine))) {
        Optional<Lease> check = readLease(uri);
        // On stores without an atomic create, read back who won.
        if (check.isPresent() && check.get().holder().equals(holder)) {
          return new Claim(true, mine);
        }
      }
      Optional<Lease> current = readLease(uri);
      if (current.isEmpty()) {
        continue; // released meanwhile: try again
      }
      Lease lease = current.get();
      if (lease.holder().equals(holder)) {
        return new Claim(true, lease);
      }
      // A running workflow with our ID is us: a lease by an earlier chain of it is stale.
      boolean stale =
          lease.workflowId().equals(holder.workflowId()) || !live.isRunning(lease.workflowId());
      if (!stale) {
        return new Claim(false, lease);
      }
      files.delete(uri);
    }
    throw new UncheckedIOException(
        new IOException("cannot claim " + uri + ": other runs keep taking it; retrying"));
  }

  /**
   * Claims the table's head for a new window, oldest window first: while an older new window that
   * still runs waits for the head, a younger one does not take it (so a replay or backfill run in
   * parallel reads each window's own rows, not a younger window its older neighbour's). A window
   * that is refused records itself as waiting under {@code leases/waiting/}.
   */
  Claim claimHead(
      LakeTable table, String windowKey, Holder holder, String window, RunLiveness live) {
    String waitingDir = RunKeys.stateDir(table) + "/leases/waiting";
    String mineUri = waitingDir + "/" + windowKey + ".json";
    Lease mine = new Lease(holder.workflowId(), holder.firstRunId(), window, now());
    Optional<Lease> older = olderWaiting(table, waitingDir, holder, window, live);
    if (older.isPresent()) {
      files.writeStringAtomically(mineUri, write(mine));
      return new Claim(false, older.get());
    }
    Claim head = claim(table, HEAD, holder, window, live);
    if (head.held()) {
      files.delete(mineUri);
    } else {
      files.writeStringAtomically(mineUri, write(mine));
    }
    return head;
  }

  /** The oldest running new window, older than {@code window}, that waits for the head. */
  private Optional<Lease> olderWaiting(
      LakeTable table, String waitingDir, Holder holder, String window, RunLiveness live) {
    FileSystem fs = files.fs(waitingDir);
    Lease oldest = null;
    try {
      Path dir = new Path(waitingDir);
      if (!fs.exists(dir)) {
        return Optional.empty();
      }
      for (FileStatus status : fs.listStatus(dir)) {
        String name = status.getPath().getName();
        if (!status.isFile() || name.startsWith(".") || !name.endsWith(".json")) {
          continue;
        }
        String uri = waitingDir + "/" + name;
        Optional<Lease> waiting = readLease(uri);
        if (waiting.isEmpty() || waiting.get().holder().equals(holder)) {
          continue;
        }
        Lease w = waiting.get();
        if (compareWindows(w.window(), window) >= 0) {
          continue;
        }
        if (w.workflowId().equals(holder.workflowId()) || !live.isRunning(w.workflowId())) {
          files.delete(uri); // its run ended without taking the head
          continue;
        }
        if (oldest == null || compareWindows(w.window(), oldest.window()) < 0) {
          oldest = w;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + waitingDir + ": " + e.getMessage(), e);
    }
    return Optional.ofNullable(oldest);
  }

  /** Orders logical dates as instants when both are, else as text. */
  private static int compareWindows(String a, String b) {
    java.time.Instant ia = dev.sluice.workflows.common.Windows.instant(a);
    java.time.Instant ib = dev.sluice.workflows.common.Windows.instant(b);
    return ia != null && ib != null ? ia.compareTo(ib) : a.compareTo(b);
  }

  /** Forgets that {@code holder}'s window waits for the head (its run gave up or ended). */
  boolean stopWaiting(LakeTable table, String windowKey, Holder holder) {
    String uri = RunKeys.stateDir(table) + "/leases/waiting/" + windowKey + ".json";
    Optional<Lease> current = readLease(uri);
    return current.isPresent() && current.get().holder().equals(holder) && files.delete(uri);
  }

  /** Releases lease {@code name} if {@code holder} holds it; returns whether it did. */
  boolean release(LakeTable table, String name, Holder holder) {
    String uri = leaseUri(table, name);
    Optional<Lease> current = readLease(uri);
    if (current.isPresent() && current.get().holder().equals(holder)) {
      return files.delete(uri);
    }
    return false;
  }

  /** Whether {@code holder} holds lease {@code name}. */
  boolean holds(LakeTable table, String name, Holder holder) {
    return readLease(leaseUri(table, name)).map(l -> l.holder().equals(holder)).orElse(false);
  }

  /** The lease {@code name}, if held. */
  Optional<Lease> lease(LakeTable table, String name) {
    return readLease(leaseUri(table, name));
  }

  /** The range window {@code windowKey} committed, if it did. */
  Optional<WindowRange> range(LakeTable table, String windowKey) {
    String uri = rangeUri(table, windowKey);
    return files.readString(uri).map(json -> parse(uri, json, WindowRange.class));
  }

  /** Records the range {@code windowKey} committed (atomically replacing an earlier one). */
  void record(LakeTable table, String windowKey, WindowRange range) {
    files.writeStringAtomically(rangeUri(table, windowKey), write(range));
  }

  /** Every committed window of the table, in key order. */
  List<WindowRange> ranges(LakeTable table) {
    return new ArrayList<>(rangesByKey(table).values());
  }

  /** Every committed window of the table by its key, in key order. */
  java.util.LinkedHashMap<String, WindowRange> rangesByKey(LakeTable table) {
    java.util.LinkedHashMap<String, WindowRange> out = new java.util.LinkedHashMap<>();
    String dir = RunKeys.stateDir(table) + "/windows";
    FileSystem fs = files.fs(dir);
    try {
      Path path = new Path(dir);
      if (!fs.exists(path)) {
        return out;
      }
      FileStatus[] listed = fs.listStatus(path);
      java.util.Arrays.sort(listed, java.util.Comparator.comparing(s -> s.getPath().getName()));
      for (FileStatus status : listed) {
        String name = status.getPath().getName();
        if (status.isFile() && name.endsWith(".json") && !name.startsWith(".")) {
          String key = name.substring(0, name.length() - ".json".length());
          range(table, key).ifPresent(r -> out.put(key, r));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The committed window of {@code column} whose range starts earliest, if any. */
  Optional<WindowRange> first(LakeTable table, String column) {
    return ranges(table).stream()
        .filter(r -> r.from() != null && java.util.Objects.equals(r.column(), column))
        .min((a, b) -> comparePositions(a.from(), b.from()));
  }

  /**
   * Orders two watermark positions: by their leading digits as a number when both have some (a
   * platform cursor {@code <created millis>/<batch ID>}; a bare number sorts before the same
   * number with a suffix), then as text.
   */
  public static int comparePositions(String a, String b) {
    int da = leadingDigits(a);
    int db = leadingDigits(b);
    if (da > 0 && db > 0 && da <= 18 && db <= 18) {
      int byNumber =
          Long.compare(Long.parseLong(a.substring(0, da)), Long.parseLong(b.substring(0, db)));
      if (byNumber != 0) {
        return byNumber;
      }
      return a.substring(da).compareTo(b.substring(db));
    }
    return a.compareTo(b);
  }

  private static int leadingDigits(String s) {
    int n = 0;
    while (n < s.length() && Character.isDigit(s.charAt(n))) {
      n++;
    }
    return n;
  }

  /**
   * Whether the table holds data files of {@code windowKey} (published by a version of Sluice that
   * recorded no range).
   */
  boolean hasFilesOf(LakeTable table, String windowKey) {
    String dir = trimSlash(table.path());
    FileSystem fs = files.fs(dir);
    try {
      Path path = new Path(dir);
      if (!fs.exists(path)) {
        return false;
      }
      for (FileStatus status : fs.listStatus(path)) {
        if (status.isFile() && PartFiles.ofRun(windowKey, status.getPath().getName())) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The failure for a window another running workflow holds. */
  static ApplicationFailure busy(String window, String what, Lease holder) {
    return ApplicationFailure.newNonRetryableFailure(
        "window "
            + window
            + " is already being run by workflow "
            + holder.describe()
            + "; "
            + what
            + " was refused so that two runs never both publish it: wait for that run, or stop it"
            + " with `sluice cancel "
            + holder.workflowId()
            + "`",
        FailureType.WINDOW_BUSY.type());
  }

  String now() {
    return clock.instant().toString();
  }

  private Optional<Lease> readLease(String uri) {
    return files.readString(uri).map(json -> parse(uri, json, Lease.class));
  }

  static String leaseUri(LakeTable table, String name) {
    return RunKeys.stateDir(table) + "/leases/" + (HEAD.equals(name) ? HEAD : "window-" + name) + ".json";
  }

  static String rangeUri(LakeTable table, String windowKey) {
    return RunKeys.windowRange(table, windowKey);
  }

  private static String write(Object value) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render " + value, e);
    }
  }

  private static <T> T parse(String uri, String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      // Retryable on purpose: an operator can repair or delete the file while retries run.
      throw new UncheckedIOException(
          uri + " is not a valid " + type.getSimpleName() + " document (repair or delete it): "
              + e.getOriginalMessage(),
          e);
    }
  }

  private static String trimSlash(String p) {
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
