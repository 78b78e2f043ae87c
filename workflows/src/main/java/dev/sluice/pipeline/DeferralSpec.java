package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;
import java.util.List;

/**
 * Deferral (the platform guide's "put aside the data and reprocess it in the next execution"): a
 * row is <em>not yet complete</em> when one of {@code requiredFields} is null or empty. Such rows
 * are written to the deferred table instead of the output. Every run unions the deferred table into
 * its input: a deferred row lands once it is complete, is superseded by a newer row with the same
 * {@code key}, or, once older than {@code retention}, is reported and moved to the expired table.
 * Nothing is dropped silently.
 *
 * @param requiredFields columns that must be non-null and non-empty for a row to land
 * @param key columns identifying a row; a row of this run with the same key supersedes a deferred
 *     one (empty: deferred rows are only re-checked, never superseded)
 * @param retention how long a row may stay deferred (default 7d)
 * @param path the deferred table's directory (default {@code <sink path>/_sluice/deferred}); rows
 *     past retention go to {@code <path>/_expired}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeferralSpec(
    List<String> requiredFields, List<String> key, Duration retention, String path) {

  /** Column holding when a deferred row was first deferred (epoch milliseconds, UTC). */
  public static final String DEFERRED_AT = "_sluice_deferred_at";

  public DeferralSpec {
    requiredFields = requiredFields == null ? List.of() : List.copyOf(requiredFields);
    key = key == null ? List.of() : List.copyOf(key);
    retention = retention == null ? Duration.ofDays(7) : retention;
  }

  /** The same rule with its table at {@code newPath} (used to resolve relative paths). */
  public DeferralSpec withPath(String newPath) {
    return new DeferralSpec(requiredFields, key, retention, newPath);
  }

  /** The deferred table's directory for a sink at {@code sinkPath}. */
  public String tablePath(String sinkPath) {
    if (path != null) {
      return path;
    }
    String base = sinkPath.endsWith("/") ? sinkPath.substring(0, sinkPath.length() - 1) : sinkPath;
    return base + "/_sluice/deferred";
  }

  /** Where rows past retention are kept. */
  public String expiredPath(String sinkPath) {
    return tablePath(sinkPath) + "/_expired";
  }
}
