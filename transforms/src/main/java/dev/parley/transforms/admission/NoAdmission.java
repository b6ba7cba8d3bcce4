package dev.parley.transforms.admission;

import dev.parley.tenant.ModelConfig;
import dev.parley.tenant.TenantConfig;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Admits every call at once: no tenant or project limit. Not for production: it is the baseline the quota
 * benchmark compares Parley's admission with (calls go out, 429s are retried with backoff).
 */
public final class NoAdmission implements AdmissionControl {
  private static final NoAdmission INSTANCE = new NoAdmission();

  public static NoAdmission instance() {
    return INSTANCE;
  }

  @Override
  public Ticket enqueue(String project, ModelConfig.@Nullable ProjectLimits limits, TenantConfig tenant, CallCost cost) {
    long now = System.nanoTime();
    Ticket ticket = new Ticket(tenant.id(), cost, 0, now, 0, 0);
    ticket.grantedNanos = now;
    return ticket;
  }

  @Override
  public long poll(String project, Ticket ticket) {
    return 0;
  }

  @Override
  public void release(String project, Ticket ticket) {}

  @Override
  public void cancel(String project, Ticket ticket) {}

  @Override
  public long await(String project, Ticket ticket) {
    return 0;
  }

  @Override
  public long trySend(String project, ModelConfig.@Nullable ProjectLimits limits, CallCost cost) {
    return 0;
  }
}
