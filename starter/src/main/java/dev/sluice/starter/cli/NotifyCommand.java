package dev.sluice.starter.cli;

import dev.sluice.workflows.batchwindow.Routes;
import dev.sluice.workflows.batchwindow.WindowNotifier;
import dev.sluice.workflows.batchwindow.WindowNotifier.Notified;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sluice notify URI...}: tells the batch window of each file's route that it arrived. */
@Command(
    name = "notify",
    description = {
      "Tell the batch windows that files arrived.",
      "Each file goes to the window of the first route whose 'when' matches it (opening a window"
          + " if none is open)."
    },
    mixinStandardHelpOptions = true)
public final class NotifyCommand extends CliCommand {
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:");

  @Mixin ConnectionOptions connection;
  @Mixin TaskQueueOption queue;
  @Mixin RoutesOption routes;

  @Parameters(
      paramLabel = "URI",
      arity = "1..*",
      description = "The files: URIs (file:///…, s3a://…, https://…) or local paths.")
  List<String> uris;

  @Override
  public Integer call() {
    Routes loaded = routes.load(err());
    if (loaded == null) {
      return ExitCodes.INVALID_INPUT;
    }
    List<String> files = uris.stream().map(NotifyCommand::asUri).toList();
    List<String> unrouted = files.stream().filter(f -> loaded.match(f).isEmpty()).toList();
    if (!unrouted.isEmpty()) {
      // Checked before anything is signalled: a partial notification is harder to reason about.
      unrouted.forEach(f -> err().println(f + ": no route in " + routes.file() + " takes it"));
      return ExitCodes.INVALID_INPUT;
    }
    return TemporalConnection.call(
        connection,
        err(),
        temporal -> {
          WindowNotifier notifier =
              new WindowNotifier(temporal.client(), queue.taskQueue(), loaded);
          for (String file : files) {
            notifier.notify(file).ifPresent(this::print);
          }
          return ExitCodes.OK;
        });
  }

  private void print(Notified notified) {
    out()
        .println(
            notified.uri() + " → " + notified.workflowId() + " (route " + notified.route() + ")");
  }

  /** A URI as given; a local path as an absolute {@code file:} URI. */
  static String asUri(String given) {
    if (SCHEME.matcher(given).find()) {
      return given;
    }
    URI uri = Path.of(given).toAbsolutePath().normalize().toUri();
    // Path.toUri writes file:/// for absolute paths; keep the routes' usual file:/// form.
    return uri.toString();
  }
}
