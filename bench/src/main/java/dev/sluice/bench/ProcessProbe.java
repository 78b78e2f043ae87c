package dev.sluice.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * CPU and heap of this JVM over a window (from one {@link #window()} call to the next).
 *
 * <p>Peak heap is taken two ways: the heap in use just before each collection (exact, from GC
 * notifications: that is when the heap is fullest) and a sample every 20 ms (catches a peak in a
 * window without a GC). The heap after each collection is the live set.
 */
final class ProcessProbe {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final AtomicLong maxSampled = new AtomicLong();
  private final AtomicLong maxBeforeGc = new AtomicLong();
  private final AtomicLong maxAfterGc = new AtomicLong();
  private final AtomicLong maxCommitted = new AtomicLong();
  private long cpuStart;
  private long wallStart;
  private long gcCountStart;
  private long gcMillisStart;
  private long jitStart;

  ProcessProbe() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc)
          .addNotificationListener(
              (notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                    notification.getType())) {
                  var info =
                      GarbageCollectionNotificationInfo.from(
                          (CompositeData) notification.getUserData());
                  maxBeforeGc.accumulateAndGet(
                      heapOf(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
                  maxAfterGc.accumulateAndGet(
                      heapOf(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
                }
              },
              null,
              null);
    }
    Thread sampler =
        new Thread(
            () -> {
              while (true) {
                MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                maxSampled.accumulateAndGet(heap.getUsed(), Math::max);
                maxCommitted.accumulateAndGet(heap.getCommitted(), Math::max);
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "probe-sampler");
    sampler.setDaemon(true);
    sampler.start();
    reset();
  }

  /** The figures since the previous call (or construction), then starts a new window. */
  synchronized Map<String, Long> window() {
    Map<String, Long> m = new LinkedHashMap<>();
    long wall = System.nanoTime() - wallStart;
    m.put("wallMillis", wall / 1_000_000);
    m.put("cpuMillis", (os.getProcessCpuTime() - cpuStart) / 1_000_000);
    m.put("jitCpuMillis", jitCpuMillis() - jitStart);
    m.put("heapMaxSampled", maxSampled.get());
    m.put("heapMaxBeforeGc", maxBeforeGc.get());
    m.put("heapMaxAfterGc", maxAfterGc.get());
    m.put("heapMaxCommitted", maxCommitted.get());
    m.put("heapPoolPeakSum", poolPeakSum());
    m.put("heapMax", Runtime.getRuntime().maxMemory());
    m.put("gcCount", gcCount() - gcCountStart);
    m.put("gcMillis", gcMillis() - gcMillisStart);
    m.put("threads", (long) ManagementFactory.getThreadMXBean().getThreadCount());
    reset();
    return m;
  }

  private void reset() {
    maxSampled.set(0);
    maxBeforeGc.set(0);
    maxAfterGc.set(0);
    maxCommitted.set(0);
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
    cpuStart = os.getProcessCpuTime();
    wallStart = System.nanoTime();
    gcCountStart = gcCount();
    gcMillisStart = gcMillis();
    jitStart = jitCpuMillis();
  }

  /**
   * CPU time of the JIT compiler threads ({@code C1/C2 CompilerThread*}), from Linux's per-thread
   * accounting ({@code /proc/self/task/<tid>/stat}, in clock ticks of 10 ms): a JVM a few minutes
   * old still compiles, and that cost ends once its code is compiled. 0 where there is no such file.
   */
  static long jitCpuMillis() {
    long ticks = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        try {
          if (!Files.readString(task.resolve("comm")).startsWith("C")
              || !Files.readString(task.resolve("comm")).contains("CompilerThre")) {
            continue;
          }
          String stat = Files.readString(task.resolve("stat"));
          // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
          // The thread ended between listing and reading: its time is gone from the accounting.
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return ticks * 10;
  }

  /** Sum of each heap pool's own peak: an upper bound (the pools peak at different times). */
  private static long poolPeakSum() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  private static long heapOf(Map<String, MemoryUsage> pools) {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage u = pools.get(pool.getName());
      if (u != null && pool.getType() == MemoryType.HEAP) {
        sum += u.getUsed();
      }
    }
    return sum;
  }

  private static long gcCount() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionCount)
        .sum();
  }

  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionTime)
        .sum();
  }

  /** {@code key=value key=value…} */
  static String format(Map<String, Long> window) {
    StringBuilder b = new StringBuilder();
    window.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return b.toString();
  }

  static Map<String, Long> parse(String line) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String pair : line.trim().split(" ")) {
      int eq = pair.indexOf('=');
      m.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
    }
    return m;
  }
}
