package dev.parley.transforms.admission;

import dev.parley.tenant.ModelConfig;
import dev.parley.tenant.TenantConfig;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.util.Sleeper;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Decides when each model call may be made, so that every tenant stays within its own quota and the project
 * within the real Gemini quota, shared fairly. Calls are enqueued once, then polled (streaming, from timers)
 * or waited for (batch); a granted call is released when it is over.
 */
public interface AdmissionControl {
  /** Nanos to wait for a call that is blocked only by calls in flight: a release will wake it. */
  long UNTIL_RELEASE = Long.MAX_VALUE;

  /**
   * Puts a call in line for {@code project} (the quota holder: a Vertex or Speech project, or a Gemini API key,
   * with the model).
   */
  Ticket enqueue(String project, ModelConfig.@Nullable ProjectLimits limits, TenantConfig tenant, CallCost cost);

  /** 0 when the call is admitted now (or was already), else the nanos after which to ask again. */
  long poll(String project, Ticket ticket);

  /**
   * The call is done, or abandoned: frees its slot among the tenant's calls in flight, or takes it out of line if
   * it was never admitted.
   */
  void release(String project, Ticket ticket);

  /** Takes a call that was never admitted out of line. */
  void cancel(String project, Ticket ticket);

  /** Blocks until the call is admitted; returns the time it waited, in nanos. */
  long await(String project, Ticket ticket) throws InterruptedException;

  /**
   * Counts a request of an admitted call as sent now and returns 0, unless sending it would put more than the
   * project's limits into the service's sliding minute (grants reach the wire late, see {@link SendWindow}): then
   * counts nothing and returns the nanos after which to ask again.
   */
  long trySend(String project, ModelConfig.@Nullable ProjectLimits limits, CallCost cost);

  /**
   * Called by an admitted call right before each request goes out: waits until {@link #trySend} counts it. Asks
   * again at least every second, so that a raised limit applies at once. Returns the nanos it waited (nearly
   * always 0).
   */
  default long awaitSend(String project, ModelConfig.@Nullable ProjectLimits limits, CallCost cost)
      throws InterruptedException {
    long started = System.nanoTime();
    long wait;
    while ((wait = trySend(project, limits, cost)) > 0) {
      Sleeper.DEFAULT.sleep(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(wait), 1_000)));
    }
    return System.nanoTime() - started;
  }
}
