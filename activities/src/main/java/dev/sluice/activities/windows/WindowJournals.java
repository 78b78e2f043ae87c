package dev.sluice.activities.windows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.pipeline.LakeTable;
import dev.sluice.workflows.batchwindow.BatchWindowWorkflowImpl;
import dev.sluice.workflows.batchwindow.WindowJournal;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/** Reads the window journals kept beside a table, for {@code sluice windows}. */
public record WindowJournals(ObjectMapper mapper, HadoopFiles files) {
  /**
   * Every journal of {@code route} kept beside {@code table}, newest (latest opened) first.
   *
   * @throws UncheckedIOException when the directory cannot be listed or a journal read
   */
  public List<WindowJournal> list(LakeTable table, String route) {
    String dir = BatchWindowWorkflowImpl.journalDir(table);
    FileStatus[] entries;
    try {
      entries = files.fs(dir).listStatus(new Path(dir));
    } catch (FileNotFoundException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    List<WindowJournal> journals = new ArrayList<>();
    for (FileStatus entry : entries) {
      String name = entry.getPath().getName();
      if (!name.endsWith(".json") || name.startsWith(".")) {
        continue;
      }
      String text = files.readString(entry.getPath().toString()).orElse(null);
      if (text == null) {
        continue;
      }
      try {
        WindowJournal journal = mapper.readValue(text, WindowJournal.class);
        if (route.equals(journal.route())) {
          journals.add(journal);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "window journal " + entry.getPath() + " is not valid JSON: " + e.getMessage(), e);
      }
    }
    // By time, not text: Instant.toString leaves out a zero fraction, so texts do not sort.
    journals.sort(
        Comparator.comparing((WindowJournal j) -> java.time.Instant.parse(j.openedAt()))
            .reversed());
    return journals;
  }
}
