package dev.sluice.starter.spec;

import static dev.sluice.starter.spec.CheckContext.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.starter.spec.Templates.Scope;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;

/** The checks of a {@code files} source (HTTP listing, file-system or SFTP prefix) and sink. */
final class FilesChecks {

  private final CheckContext ctx;

  FilesChecks(CheckContext ctx) {
    this.ctx = ctx;
  }

  /** A files source: one of listing or prefix, a pattern that compiles, a files sink, no rows. */
  void filesSource(JsonNode source, String path, JsonNode root) {
    new HttpSourceChecks(ctx).auth(source.path("auth"), DocPath.key(path, "auth"));
    boolean listing = source.has("listing");
    boolean prefix = source.has("prefix");
    if (listing && prefix) {
      ctx.problems.add(
          new Problem(
              DocPath.key(path, "prefix"),
              "a files source lists either an HTTP endpoint (listing) or a directory (prefix),"
                  + " not both: remove one"));
    } else if (!listing && !prefix) {
      ctx.problems.add(
          new Problem(
              path,
              "a files source needs listing (an HTTP listing endpoint) or prefix (a directory"
                  + " URI) to list its files"));
    }
    if (source.path("listing").isObject()) {
      // The listing runs once per run, before any job exists: the submit's variables.
      ctx.request(source.path("listing"), DocPath.key(path, "listing"), Scope.SUBMIT);
      for (String key : List.of("pattern", "recursive")) {
        if (source.has(key)) {
          ctx.problems.add(
              new Problem(
                  DocPath.key(path, key),
                  "applies to a prefix listing only; filter an HTTP listing on its side"));
        }
      }
    }
    Optional<String> prefixText = text(source, "prefix").filter(location -> !location.isEmpty());
    if (prefixText.filter(FilesChecks::isSftp).isPresent()) {
      sftpSource(prefixText.get(), source.path("sftp"), path);
    } else {
      prefixText
          .flatMap(SinkPaths::problem)
          .ifPresent(
              message -> ctx.problems.add(new Problem(DocPath.key(path, "prefix"), message)));
      if (source.has("sftp")) {
        ctx.problems.add(
            new Problem(
                DocPath.key(path, "sftp"), "applies to an sftp://user@host/path prefix only"));
      }
    }
    text(source, "pattern").filter(p -> !p.isEmpty()).ifPresent(p -> filePattern(p, path));
    if (!text(root.path("sink"), "type").orElse("files").equals("files")) {
      ctx.problems.add(
          new Problem(
              "sink.type",
              "a files source lands files byte for byte: use a files sink (type: files, path:"
                  + " <directory>)"));
    }
    if (root.has("incremental")) {
      ctx.problems.add(
          new Problem(
              "incremental",
              "a files source keeps no watermark: files already landed with the same size and"
                  + " modification time are skipped; remove the 'incremental' section"));
    }
    if (root.has("defer")) {
      ctx.problems.add(
          new Problem("defer", "a files source lands files, not rows: remove the 'defer' section"));
    }
  }

  private void filePattern(String pattern, String path) {
    String syntax =
        pattern.startsWith("regex:") || pattern.startsWith("glob:") ? pattern : "glob:" + pattern;
    try {
      java.nio.file.FileSystems.getDefault().getPathMatcher(syntax);
    } catch (IllegalArgumentException e) {
      ctx.problems.add(
          new Problem(
              DocPath.key(path, "pattern"),
              "does not compile: " + e.getMessage().lines().findFirst().orElse("")));
    }
  }

  void filesSink(JsonNode sink, String path, JsonNode root) {
    text(sink, "path")
        .filter(location -> !location.isEmpty())
        .flatMap(SinkPaths::problem)
        .ifPresent(message -> ctx.problems.add(new Problem(DocPath.key(path, "path"), message)));
    String sourceType = text(root.path("source"), "type").orElse("files");
    if (!sourceType.equals("files")) {
      ctx.problems.add(
          new Problem(
              DocPath.key(path, "type"),
              "a files sink lands the files of a files source; a "
                  + sourceType
                  + " source lands rows: use a parquet sink"));
    }
  }


  private static boolean isSftp(String location) {
    return location.regionMatches(true, 0, "sftp://", 0, 7);
  }

  /**
   * An sftp:// prefix: a user and a host in the URI, a password or a private key, a host-key check
   * (known_hosts, or an explicit opt-out), every secret a reference.
   */
  private void sftpSource(String location, JsonNode sftp, String path) {
    String prefixPath = DocPath.key(path, "prefix");
    String sftpPath = DocPath.key(path, "sftp");
    if (location.contains("${")) {
      ctx.problems.add(new Problem(prefixPath, "placeholders are not supported in the prefix"));
      return;
    }
    URI uri;
    try {
      uri = new URI(location);
    } catch (URISyntaxException e) {
      ctx.problems.add(
          new Problem(
              prefixPath, "not a valid URI: " + e.getReason() + " at index " + e.getIndex()));
      return;
    }
    if (uri.getHost() == null || uri.getUserInfo() == null || uri.getUserInfo().isEmpty()) {
      ctx.problems.add(
          new Problem(prefixPath, "an sftp prefix needs a user and a host: sftp://user@host/path"));
    } else if (uri.getUserInfo().contains(":")) {
      ctx.problems.add(
          new Problem(
              prefixPath,
              "name the user only; give the password as a secret reference in "
                  + sftpPath
                  + ".password (pipeline definitions are stored in workflow history)"));
    }
    if (!sftp.isObject()) {
      ctx.problems.add(
          new Problem(
              sftpPath,
              "an sftp prefix needs sftp: {password or privateKey, knownHosts} to log in"));
      return;
    }
    for (String key : List.of("password", "privateKey", "knownHosts")) {
      ctx.secretReference(sftp, sftpPath, key);
    }
    if (!sftp.has("password") && !sftp.has("privateKey")) {
      ctx.problems.add(
          new Problem(sftpPath, "give password or privateKey (a secret reference) to log in"));
    }
    boolean insecure = sftp.path("insecureAcceptAnyHostKey").asBoolean(false);
    if (!sftp.has("knownHosts") && !insecure) {
      ctx.problems.add(
          new Problem(
              sftpPath,
              "give knownHosts (a secret reference to known_hosts lines for the server), or"
                  + " insecureAcceptAnyHostKey: true for a sandbox"));
    }
  }

}
