package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The DIL 2-step file download pattern: step 1 lists the files at a source into a staging list,
 * step 2 downloads each listed file into the lake byte for byte. The files are listed either by an
 * HTTP listing endpoint ({@code listing}) or under a Hadoop {@code FileSystem} prefix ({@code
 * prefix}); exactly one of the two is set.
 *
 * @param auth how the listing request (and downloads from the listing's own host) authenticate
 *     (default: none); never sent to another host, such as a pre-signed object-store URL
 * @param listing the HTTP listing endpoint, or null when {@code prefix} is set
 * @param prefix a directory URI ({@code file:///…}, {@code hdfs://…}, {@code s3a://…}, {@code
 *     sftp://user@host/…}) whose files are listed, or null when {@code listing} is set
 * @param pattern prefix listings: which files to take, matched against each file's path relative to
 *     the prefix: a glob ({@code *.csv}, {@code 2026/**}), or {@code regex:…}; null takes all
 * @param recursive prefix listings: whether files in sub-directories are listed too (default true)
 * @param maxParallel downloads in flight at once (default 4)
 * @param filesPerTask most files one download activity takes in turn (default 50); fewer when the
 *     listing is short, so {@code maxParallel} downloads still run at once
 * @param sftp credentials and host-key check of an {@code sftp://} prefix, or null for any other
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FilesSource(
    AuthSpec auth,
    FileListingSpec listing,
    String prefix,
    String pattern,
    Boolean recursive,
    Integer maxParallel,
    Integer filesPerTask,
    SftpSpec sftp)
    implements SourceSpec {

  public FilesSource {
    auth = auth == null ? AuthSpec.NONE : auth;
    recursive = recursive == null ? Boolean.TRUE : recursive;
    maxParallel = maxParallel == null ? 4 : maxParallel;
    filesPerTask = filesPerTask == null ? 50 : filesPerTask;
  }

  /**
   * This source listing {@code newPrefix} instead (the loader makes relative prefixes absolute).
   */
  public FilesSource withPrefix(String newPrefix) {
    return new FilesSource(
        auth, listing, newPrefix, pattern, recursive, maxParallel, filesPerTask, sftp);
  }

  /** Whether step 1 asks an HTTP listing endpoint (else it lists a file-system prefix). */
  public boolean httpListing() {
    return listing != null;
  }
}
