package dev.parley.transforms.admission;

import dev.parley.tenant.ModelConfig;
import dev.parley.tenant.TenantConfig;
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

  /** The call is done (or abandoned after admission): frees its slot among the tenant's calls in flight. */
  void release(String project, Ticket ticket);

  /** Takes a call that was never admitted out of line. */
  void cancel(String project, Ticket ticket);

  /** Blocks until the call is admitted; returns the time it waited, in nanos. */
  long await(String project, Ticket ticket) throws InterruptedException;
}
