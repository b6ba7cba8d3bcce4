package dev.parley.transforms.transcribe;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs model calls off the bundle thread, at most {@code maxInFlight} at a time per worker JVM. A model call
 * takes seconds to minutes of waiting and almost no CPU; a runner gives a worker only a few bundle threads
 * (one per vCPU in batch), so calls made on them would leave the worker idle. Submitting blocks while the
 * worker is full, which is the backpressure the runner needs.
 */
public final class CallExecutor {
  private static final Map<Integer, CallExecutor> SHARED = new ConcurrentHashMap<>();

  private final Semaphore permits;
  private final ExecutorService threads;

  private CallExecutor(int maxInFlight) {
    this.permits = new Semaphore(maxInFlight);
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newFixedThreadPool(maxInFlight, r -> {
      Thread thread = new Thread(r, "parley-call-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** The worker's executor for this many calls in flight; DoFn instances share it. */
  public static CallExecutor shared(int maxInFlight) {
    return SHARED.computeIfAbsent(maxInFlight, CallExecutor::new);
  }

  /** Starts {@code call} if a slot is free now; empty otherwise (the caller tries again later). */
  public <T> java.util.Optional<CompletableFuture<T>> trySubmit(Callable<T> call) {
    if (!permits.tryAcquire()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(start(call));
  }

  /** Starts {@code call} once a slot is free; waits for one otherwise. */
  public <T> CompletableFuture<T> submit(Callable<T> call) throws InterruptedException {
    permits.acquire();
    return start(call);
  }

  /** Runs {@code call} on a pool thread; the caller holds a permit, which the task returns. */
  private <T> CompletableFuture<T> start(Callable<T> call) {
    CompletableFuture<T> future = new CompletableFuture<>();
    try {
      threads.execute(() -> {
        try {
          future.complete(call.call());
        } catch (Throwable t) {
          future.completeExceptionally(t);
        } finally {
          permits.release();
        }
      });
    } catch (RuntimeException e) {
      permits.release();
      throw e;
    }
    return future;
  }
}
