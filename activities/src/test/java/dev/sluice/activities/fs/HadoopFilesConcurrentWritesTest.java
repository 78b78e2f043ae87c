package dev.sluice.activities.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several writers of one small state file at once (two publishes of one table storing its schema,
 * a retried attempt beside its timed-out predecessor): each write is whole, and a reader only ever
 * sees one writer's complete content.
 */
class HadoopFilesConcurrentWritesTest {
  @TempDir Path dir;

  @Test
  void givenWritersOfOneFileAtOnce_whenTheyRace_thenEveryWriteSucceedsAndReadersSeeWholeContent()
      throws Exception {
    HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());
    String uri = dir.resolve("_sluice/schema.json").toUri().toString();
    int writers = 4;
    int writes = 150;
    Set<String> written = ConcurrentHashMap.newKeySet();
    List<String> seen = new ArrayList<>();
    AtomicBoolean done = new AtomicBoolean();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        running.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < writes; i++) {
                    // Long enough that a write is not one system call.
                    String content = ("{\"writer\":" + writer + ",\"write\":" + i + "}").repeat(400);
                    written.add(content);
                    files.writeStringAtomically(uri, content);
                  }
                  return null;
                }));
      }
      Future<?> reader =
          pool.submit(
              () -> {
                start.await();
                while (!done.get()) {
                  Optional<String> now = files.readString(uri);
                  now.ifPresent(
                      content -> {
                        synchronized (seen) {
                          seen.add(content);
                        }
                      });
                }
                return null;
              });
      start.countDown();
      for (Future<?> f : running) {
        f.get(2, TimeUnit.MINUTES); // a lost scratch file failed a write here
      }
      done.set(true);
      reader.get(1, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }
    assertThat(written).contains(files.readString(uri).orElseThrow());
    synchronized (seen) {
      assertThat(seen).isNotEmpty().allSatisfy(content -> assertThat(written).contains(content));
    }
    try (var left = Files.list(dir.resolve("_sluice"))) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("no scratch file is left behind")
          .containsExactly("schema.json");
    }
  }

  @Test
  void givenClaimantsOfOneFileAtOnce_whenTheyRace_thenExactlyOneCreatesItWithItsContent()
      throws Exception {
    HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());
    int claimants = 4;
    ExecutorService pool = Executors.newFixedThreadPool(claimants);
    try {
      for (int round = 0; round < 100; round++) {
        String uri = dir.resolve("leases/lease-" + round).toUri().toString();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> claims = new ArrayList<>();
        for (int c = 0; c < claimants; c++) {
          String content = "claimant " + c;
          claims.add(
              pool.submit(
                  () -> {
                    start.await();
                    return files.createIfAbsent(uri, content);
                  }));
        }
        start.countDown();
        List<Integer> winners = new ArrayList<>();
        for (int c = 0; c < claimants; c++) {
          if (claims.get(c).get(1, TimeUnit.MINUTES)) {
            winners.add(c);
          }
        }
        assertThat(winners).as("round %d", round).hasSize(1);
        assertThat(files.readString(uri)).contains("claimant " + winners.get(0));
      }
    } finally {
      pool.shutdownNow();
    }
    try (var left = Files.list(dir.resolve("leases"))) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("no scratch file is left behind")
          .allMatch(name -> name.startsWith("lease-"));
    }
  }
}
