package dev.sluice.workflows.batchegress;

import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The names files get in a platform batch, checked before the batch exists. */
final class BatchFileNames {
  private BatchFileNames() {}

  /**
   * The name each file gets in the batch: its URI's last path segment, so a retried upload of the
   * same file overwrites itself. Two files with one name would overwrite each other, so that is
   * refused, as is a batch with no files (the platform would fail it anyway, later and vaguely).
   */
  static List<String> of(List<String> uris) {
    if (uris.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "no files to send: a platform batch needs at least one Parquet file",
          FailureType.INVALID_PIPELINE.type());
    }
    List<String> names = new ArrayList<>(uris.size());
    Map<String, String> firstUri = new HashMap<>();
    for (String uri : uris) {
      String path = uri;
      int cut = indexOfAny(path, '?', '#');
      if (cut >= 0) {
        path = path.substring(0, cut);
      }
      while (path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      String name = path.substring(path.lastIndexOf('/') + 1);
      if (name.isEmpty() || name.endsWith(":")) {
        throw ApplicationFailure.newNonRetryableFailure(
            "cannot derive a file name from '" + uri + "'", FailureType.INVALID_PIPELINE.type());
      }
      if (firstUri.containsKey(name)) {
        throw ApplicationFailure.newNonRetryableFailure(
            "'"
                + uri
                + "' and '"
                + firstUri.get(name)
                + "' would both be uploaded as '"
                + name
                + "'; file names must be unique within a batch",
            FailureType.INVALID_PIPELINE.type());
      }
      firstUri.put(name, uri);
      names.add(name);
    }
    return List.copyOf(names);
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : (j < 0 ? i : Math.min(i, j));
  }
}
