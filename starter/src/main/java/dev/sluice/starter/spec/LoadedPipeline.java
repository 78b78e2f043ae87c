package dev.sluice.starter.spec;

import dev.sluice.pipeline.PipelineSpec;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A pipeline file that passed validation.
 *
 * @param spec the pipeline, with defaults applied and a relative sink path (and {@code defer.path})
 *     resolved against the directory of the file into an absolute {@code file:///} URI
 * @param origin where it was loaded from, as shown to the user
 * @param secretReferences every secret reference in it, as written ({@code ${env:SF_CLIENT_ID}},
 *     {@code ${file:/run/secrets/key}}), each once, in the order found
 */
public record LoadedPipeline(PipelineSpec spec, String origin, List<String> secretReferences) {
  public LoadedPipeline {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(origin, "origin");
    secretReferences = List.copyOf(secretReferences);
  }

  /**
   * The secret references that cannot be resolved on this machine: {@code ${env:NAME}} whose
   * variable {@code env} does not define, and {@code ${file:/path}} whose file is not readable.
   * Workers resolve secrets where they run, so for the CLI these are warnings, not errors.
   *
   * @param env looks up an environment variable, null when undefined (e.g. {@code System::getenv})
   * @return the unresolvable references as written, in the order of {@link #secretReferences()}
   */
  public List<String> unresolvedSecrets(Function<String, String> env) {
    return secretReferences.stream().filter(reference -> !resolvable(reference, env)).toList();
  }

  private static boolean resolvable(String reference, Function<String, String> env) {
    String inner = reference.substring(2, reference.length() - 1);
    if (inner.startsWith(Templates.ENV_PREFIX)) {
      return env.apply(inner.substring(Templates.ENV_PREFIX.length())) != null;
    }
    try {
      return Files.isReadable(Path.of(inner.substring(Templates.FILE_PREFIX.length())));
    } catch (InvalidPathException e) {
      return false;
    }
  }
}
