package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Two-step ingestion with work units (the DIL pattern): step 1 reads a short list of values (survey
 * IDs, partition keys, table names) from an HTTP endpoint or a file; step 2 runs the pipeline once
 * per value, with the value offered to its templates as {@code ${<variable>}}, each landing in its
 * own Hive-style partition {@code <sink path>/<partition>=<value>/} with its own watermark.
 *
 * @param from {@code http} (the list is a JSON document answered by {@code request}) or {@code
 *     file} (the list is a file at {@code uri})
 * @param request http: the listing request; it authenticates as the source does ({@code
 *     source.auth}) and may use {@code ${pipeline}}, {@code ${logicalDate}}, {@code
 *     ${windowStart}}, {@code ${windowEnd}} and secret references
 * @param pointer http: JSON pointer to the array of units in the response (default: the whole
 *     document)
 * @param field the unit's value in each element: http: a JSON pointer relative to the element
 *     ({@code /id}; default: the element itself, which must then be a scalar); file: the CSV column
 *     or the JSON-lines field (default: the first CSV column; required for JSON lines)
 * @param uri file: the list's URI on any Hadoop {@code FileSystem} ({@code file://}, {@code
 *     hdfs://}, {@code s3a://}); a relative path is resolved against the pipeline file's directory
 * @param format file: {@code csv} (with a header row; the default) or {@code ndjson}
 * @param variable the template variable the unit's value is offered as (default {@code unit})
 * @param partition the partition column, the directory name before {@code =} (default: {@code
 *     variable})
 * @param maxParallel units run at once (default 4)
 * @param maxUnitsPerRun units one run starts at most; the rest wait for the next run (default 0: no
 *     limit)
 * @param rerunDone whether units already done are run again, after failed and pending ones and
 *     oldest first, to pick up their new rows from their own watermark (default false: a done unit
 *     is not redone)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UnitsSpec(
    String from,
    RequestSpec request,
    String pointer,
    String field,
    String uri,
    String format,
    String variable,
    String partition,
    Integer maxParallel,
    Integer maxUnitsPerRun,
    Boolean rerunDone) {

  /** Listing by HTTP. */
  public static final String FROM_HTTP = "http";

  /** Listing from a file. */
  public static final String FROM_FILE = "file";

  public UnitsSpec {
    from = from == null ? (uri != null ? FROM_FILE : FROM_HTTP) : from;
    pointer = pointer == null ? "" : pointer;
    format = format == null ? "csv" : format;
    variable = variable == null ? "unit" : variable;
    partition = partition == null ? variable : partition;
    maxParallel = maxParallel == null ? 4 : maxParallel;
    maxUnitsPerRun = maxUnitsPerRun == null ? 0 : maxUnitsPerRun;
    rerunDone = rerunDone != null && rerunDone;
  }

  /** The same units listed from another file (used to resolve a relative {@code uri}). */
  public UnitsSpec withUri(String newUri) {
    return new UnitsSpec(
        from,
        request,
        pointer,
        field,
        newUri,
        format,
        variable,
        partition,
        maxParallel,
        maxUnitsPerRun,
        rerunDone);
  }
}
