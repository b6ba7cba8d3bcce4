package dev.parley.tools.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures live heap, not garbage: a background thread collects and reads the used heap every
 * {@code periodMillis}, keeping the peak. A benchmark takes {@link #liveNow()} before the work and the peak
 * during it; the difference is what the work kept reachable.
 */
public final class HeapSampler implements AutoCloseable {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private final AtomicLong peak = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  public HeapSampler(long periodMillis) {
    thread = new Thread(() -> {
      while (running.get()) {
        peak.accumulateAndGet(liveNow(), Math::max);
        try {
          Thread.sleep(periodMillis);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-sampler");
    thread.setDaemon(true);
    thread.start();
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
    running.set(false);
    thread.interrupt();
    thread.join();
  }
}
