package dev.parley.transforms.admission;

import dev.parley.tenant.ModelConfig;
import dev.parley.tenant.TenantConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Admission held in this JVM: one {@link ProjectScheduler} per project, guarded by a lock, shared by every
 * DoFn of the worker. Exact for the DirectRunner and for a single-worker job; a job on many workers shares its
 * project limits through {@link RedisAdmission} instead.
 */
public final class LocalAdmission implements AdmissionControl {
  private static final LocalAdmission SHARED = new LocalAdmission(System::nanoTime);
  /** A waiter re-checks at least this often, so a config change or a lost wake-up never strands it. */
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final LongSupplier clock;
  private final Map<String, Guarded> projects = new ConcurrentHashMap<>();

  private static final class Guarded {
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    final ProjectScheduler scheduler;
    final SendWindow sent = new SendWindow();

    Guarded(ProjectScheduler scheduler) {
      this.scheduler = scheduler;
    }
  }

  LocalAdmission(LongSupplier clock) {
    this.clock = clock;
  }

  public static LocalAdmission shared() {
    return SHARED;
  }

  @Override
  public Ticket enqueue(String project, ModelConfig.@Nullable ProjectLimits limits, TenantConfig tenant, CallCost cost) {
    Guarded guarded = guarded(project, limits);
    guarded.lock.lock();
    try {
      guarded.scheduler.configure(limits);
      return guarded.scheduler.enqueue(tenant, cost);
    } finally {
      guarded.lock.unlock();
    }
  }

  @Override
  public long poll(String project, Ticket ticket) {
    Guarded guarded = projects.get(project);
    guarded.lock.lock();
    try {
      if (ticket.isGranted()) {
        return 0;
      }
      ProjectScheduler.Dispatch dispatch = guarded.scheduler.dispatch();
      if (!dispatch.granted().isEmpty()) {
        guarded.changed.signalAll();
      }
      return ticket.isGranted() ? 0 : Math.max(1, dispatch.nextCheckNanos());
    } finally {
      guarded.lock.unlock();
    }
  }

  @Override
  public void release(String project, Ticket ticket) {
    Guarded guarded = projects.get(project);
    guarded.lock.lock();
    try {
      guarded.scheduler.release(ticket);
      guarded.changed.signalAll();
    } finally {
      guarded.lock.unlock();
    }
  }

  @Override
  public void cancel(String project, Ticket ticket) {
    Guarded guarded = projects.get(project);
    guarded.lock.lock();
    try {
      guarded.scheduler.cancel(ticket);
    } finally {
      guarded.lock.unlock();
    }
  }

  @Override
  public long trySend(String project, ModelConfig.@Nullable ProjectLimits limits, CallCost cost) {
    Guarded guarded = guarded(project, limits);
    guarded.lock.lock();
    try {
      return guarded.sent.trySend(limits, cost.tokens(), clock.getAsLong());
    } finally {
      guarded.lock.unlock();
    }
  }

  @Override
  public long await(String project, Ticket ticket) throws InterruptedException {
    Guarded guarded = projects.get(project);
    guarded.lock.lock();
    try {
      while (true) {
        if (ticket.isGranted()) {
          return ticket.waitedNanos();
        }
        ProjectScheduler.Dispatch dispatch = guarded.scheduler.dispatch();
        if (!dispatch.granted().isEmpty()) {
          guarded.changed.signalAll();
        }
        if (ticket.isGranted()) {
          return ticket.waitedNanos();
        }
        guarded.changed.awaitNanos(Math.min(MAX_PARK_NANOS, Math.max(1, dispatch.nextCheckNanos())));
      }
    } catch (InterruptedException e) {
      if (!ticket.isGranted()) {
        guarded.scheduler.cancel(ticket);
      }
      throw e;
    } finally {
      guarded.lock.unlock();
    }
  }

  private Guarded guarded(String project, ModelConfig.@Nullable ProjectLimits limits) {
    return projects.computeIfAbsent(project, p -> new Guarded(new ProjectScheduler(limits, clock)));
  }
}
