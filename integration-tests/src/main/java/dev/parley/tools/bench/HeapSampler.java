package dev.parley.tools.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures live heap, not garbage: a background thread collects and reads the used heap every
 * {@code periodMillis}, keeping the peak. A benchmark takes {@link #liveNow()} before the work and the peak
 * during it; the difference is what the work kept reachable.
 */
public final class HeapSampler implements AutoCloseable {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private final AtomicLong peak = new AtomicLong();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "heap-sampler");
    thread.setDaemon(true);
    return thread;
  });

  public HeapSampler(long periodMillis) {
    sampler.scheduleWithFixedDelay(() -> peak.accumulateAndGet(liveNow(), Math::max),
        0, periodMillis, TimeUnit.MILLISECONDS);
  }

  /** Heap in use right after a full collection. */
  public static long liveNow() {
    MEMORY.gc();
    return MEMORY.getHeapMemoryUsage().getUsed();
  }

  public long peakBytes() {
    return peak.get();
  }

  @Override
  public void close() throws InterruptedException {
    sampler.shutdownNow();
    sampler.awaitTermination(1, TimeUnit.MINUTES);
  }
}
