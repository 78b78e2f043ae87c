package dev.sluice.activities.secrets;

import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * Resolves secret references on the worker, so secret values never travel in workflow inputs or
 * history. Two kinds are supported:
 *
 * <ul>
 *   <li>{@code env:NAME}: the worker's environment variable {@code NAME};
 *   <li>{@code file:/path}: the content of a file on the worker (e.g. a mounted Kubernetes secret),
 *       without its trailing line break.
 * </ul>
 *
 * Files are read on every call, so a rotated secret is picked up by the next activity. One instance
 * per worker.
 */
public final class SecretResolver {
  private static final String ENV = "env:";
  private static final String FILE = "file:";

  private final Function<String, String> environment;
  private final String workerHost;

  /**
   * @param environment looks up an environment variable, returning null when it is not set
   * @param workerHost named in failures, so an operator knows which worker lacks the secret
   */
  public SecretResolver(Function<String, String> environment, String workerHost) {
    this.environment = Objects.requireNonNull(environment, "environment");
    this.workerHost = Objects.requireNonNull(workerHost, "workerHost");
  }

  /** A resolver over this process's environment, naming the local host in failures. */
  public static SecretResolver fromSystem() {
    return new SecretResolver(System::getenv, localHostName());
  }

  /**
   * Whether {@code expression} (the text between {@code ${} and {@code }}) is a secret reference.
   */
  public static boolean isReference(String expression) {
    return expression.startsWith(ENV) || expression.startsWith(FILE);
  }

  /**
   * The value of a secret reference.
   *
   * @param reference {@code env:NAME} or {@code file:/path}
   * @return the secret value; a file's content loses one trailing {@code \n} or {@code \r\n}
   * @throws ApplicationFailure non-retryable {@link FailureType#SECRET_NOT_FOUND} when the
   *     variable is not set or the file cannot be read; the message names the reference and this
   *     worker, never a value
   * @throws IllegalArgumentException when {@code reference} is not a secret reference
   */
  public String resolve(String reference) {
    if (reference.startsWith(ENV)) {
      String value = environment.apply(reference.substring(ENV.length()));
      if (value == null) {
        throw notFound(reference, "the environment variable is not set", null);
      }
      return value;
    }
    if (reference.startsWith(FILE)) {
      return readFile(reference, Path.of(reference.substring(FILE.length())));
    }
    throw new IllegalArgumentException("not a secret reference: ${" + reference + "}");
  }

  private String readFile(String reference, Path path) {
    String content;
    try {
      content = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw notFound(
          reference, "the file cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
    if (content.endsWith("\r\n")) {
      return content.substring(0, content.length() - 2);
    }
    return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
  }

  private ApplicationFailure notFound(String reference, String why, Throwable cause) {
    // The cause of a failed file read carries only the path, never the content.
    return ApplicationFailure.newNonRetryableFailureWithCause(
        "secret ${" + reference + "} not found on worker " + workerHost + ": " + why,
        FailureType.SECRET_NOT_FOUND.type(),
        cause);
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      // Only used to label failures: the host name the resolver failed to look up is still useful.
      return e.getMessage();
    }
  }
}
