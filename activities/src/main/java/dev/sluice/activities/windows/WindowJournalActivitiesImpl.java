package dev.sluice.activities.windows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.workflows.batchwindow.WindowJournalActivities;
import dev.sluice.workflows.batchwindow.WindowMessages.JournalRequest;
import dev.sluice.workflows.batchwindow.WindowMessages.JournalResult;
import java.io.UncheckedIOException;

/**
 * {@link WindowJournalActivities} on the table's file system.
 *
 * @param mapper the worker's JSON mapper
 * @param files the worker's file systems
 */
public record WindowJournalActivitiesImpl(ObjectMapper mapper, HadoopFiles files)
    implements WindowJournalActivities {
  @Override
  public JournalResult writeWindowJournal(JournalRequest request) {
    try {
      files.writeStringAtomically(
          request.uri(),
          mapper.writerWithDefaultPrettyPrinter().writeValueAsString(request.journal()));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialise the journal for " + request.uri(), e);
    }
    return new JournalResult(request.uri());
  }
}
