package dev.parley.transforms.admission;

import dev.parley.tenant.ModelConfig;
import dev.parley.tenant.TenantConfig;
import dev.parley.transforms.logging.KeyValuesInMdc;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission shared by every worker of every job that spends a quota holder's limits, held in Redis
 * (Memorystore): the limits hold across a Dataflow job of any size, and across jobs (a backfill beside the
 * streaming job) that name the same {@link RedisEndpoint}.
 *
 * <p><b>Why Redis, and why hand-written Lua.</b> Fairness needs one decision over all waiting calls of a quota
 * holder: which tenant goes next depends on every tenant's backlog, share and buckets at once. Redis runs a Lua
 * script atomically, so the whole {@link ProjectScheduler} algorithm runs there ({@code admission.lua}) against
 * state every worker shares, with the server's clock ({@code TIME}) as the one clock. Bucket4j's Redis
 * integration keeps each bucket consistent on its own (compare-and-swap per bucket), but cannot take tokens from
 * a tenant's buckets and the project's together, or order calls of different tenants and workers by
 * start-time fair queueing; it would give rate limits without fairness, so it is not used here.
 *
 * <p><b>How fairness works across workers.</b> A worker puts each call in line ({@code enqueue}: its start and
 * finish tags are computed from the tenant's weight and the call's cost, as in the local scheduler). Any worker
 * that asks ({@code dispatch}) admits every waiting call that may go now, its own or others': tenants under
 * their weighted share first (quiet ones may use the reserved half of the project burst), then fair-queueing order,
 * skipping tenants held back by their own limits (work-conserving). A worker learns of its calls' grants when it
 * next asks: at the time the last dispatch said something may change, at most {@link #MAX_RECHECK} later, and at
 * once when a thread of the same JVM dispatched; so a call granted by another worker reaches the wire late, and
 * the log of sends ({@code send}, see {@link SendWindow}) is kept in Redis too. Limits come with every enqueue from
 * the reloaded tenant config; Redis reshapes the buckets, keeping their tokens in proportion.
 *
 * <p><b>Workers that die.</b> Every ticket, waiting or granted, has a lease in Redis that this JVM renews every
 * third of {@link #DEFAULT_LEASE}. A worker that dies stops renewing: within a lease its waiting calls leave the
 * line and its slots among the tenant's calls in flight are freed. A ticket this JVM still holds but Redis no
 * longer knows (Redis restarted, or renewal failed for a whole lease) is put in line again. All state expires
 * after {@link #IDLE_STATE} without use, so idle tenants and holders cost nothing.
 *
 * <p><b>Redis unreachable.</b> Admission fails closed: no call is admitted, and after a while the work fails
 * and is retried ({@link AdmissionStore}). Only a release or cancel does not wait for Redis: the ticket is no
 * longer renewed, so its lease frees the slot.
 */
public final class RedisAdmission implements AdmissionControl, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisAdmission.class);
  static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  static final Duration IDLE_STATE = Duration.ofHours(1);
  /** Grants made by other workers, and their releases, are seen at least this often. */
  static final Duration MAX_RECHECK = Duration.ofMillis(50);
  private static final RedisScript SCRIPT = RedisScript.resource("admission.lua");
  private static final Map<RedisEndpoint, RedisAdmission> SHARED = new ConcurrentHashMap<>();

  private final AdmissionStore store;
  private final Duration lease;
  private final ScheduledExecutorService renewer;
  private final Map<String, Line> lines = new ConcurrentHashMap<>();

  /** This JVM's tickets of one quota holder, and when it next needs to ask Redis about them. */
  private static final class Line {
    final String key;
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    final Map<Ticket, Held> waiting = new LinkedHashMap<>();
    final Map<Ticket, Held> running = new HashMap<>();
    long quietUntilNanos;

    Line(String key) {
      this.key = key;
    }
  }

  /** What Redis calls a ticket, and what is needed to put it in line again should Redis forget it. */
  private static final class Held {
    String id;
    final TenantConfig tenant;
    final ModelConfig.@Nullable ProjectLimits limits;

    Held(String id, TenantConfig tenant, ModelConfig.@Nullable ProjectLimits limits) {
      this.id = id;
      this.tenant = tenant;
      this.limits = limits;
    }
  }

  RedisAdmission(AdmissionStore store, Duration lease) {
    this.store = store;
    this.lease = lease;
    this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "parley-admission-lease-renewer");
      thread.setDaemon(true);
      return thread;
    });
    long period = Math.max(1, lease.toMillis() / 3);
    renewer.scheduleWithFixedDelay(this::renewLeases, period, period, TimeUnit.MILLISECONDS);
  }

  /** The JVM's admission for this endpoint, created on first use. */
  public static RedisAdmission shared(RedisEndpoint endpoint) {
    return SHARED.computeIfAbsent(endpoint, e -> new RedisAdmission(AdmissionStore.shared(e), DEFAULT_LEASE));
  }

  @Override
  public Ticket enqueue(String project, ModelConfig.@Nullable ProjectLimits limits, TenantConfig tenant, CallCost cost) {
    Line line = lines.computeIfAbsent(project, p -> new Line(holderKey(p)));
    line.lock.lock();
    try {
      List<Object> reply = store.run(SCRIPT, List.of(line.key), enqueueArgs(project, limits, tenant, cost));
      String id = (String) reply.get(0);
      Ticket ticket = new Ticket(tenant.id(), cost, Long.parseLong(id), System.nanoTime(),
          Double.parseDouble((String) reply.get(1)), Double.parseDouble((String) reply.get(2)));
      line.waiting.put(ticket, new Held(id, tenant, limits));
      line.quietUntilNanos = 0; // a new call may go at once
      return ticket;
    } finally {
      line.lock.unlock();
    }
  }

  @Override
  public long poll(String project, Ticket ticket) {
    Line line = lines.get(project);
    line.lock.lock();
    try {
      return pollLocked(line, project, ticket);
    } finally {
      line.lock.unlock();
    }
  }

  @Override
  public long trySend(String project, ModelConfig.@Nullable ProjectLimits limits, CallCost cost) {
    Line line = lines.computeIfAbsent(project, p -> new Line(holderKey(p)));
    List<Object> reply = store.run(SCRIPT, List.of(line.key), List.of("send", idleMillis(),
        text(limits == null ? null : limits.requestsPerMinute()), text(limits == null ? null : limits.tokensPerMinute()),
        Long.toString(cost.tokens()), Long.toString(SendWindow.WINDOW_NANOS / 1_000_000)));
    return TimeUnit.MICROSECONDS.toNanos((Long) reply.get(0));
  }

  @Override
  public long await(String project, Ticket ticket) throws InterruptedException {
    Line line = lines.get(project);
    line.lock.lock();
    try {
      long wait;
      while ((wait = pollLocked(line, project, ticket)) != 0) {
        line.changed.awaitNanos(wait);
      }
      return ticket.waitedNanos();
    } catch (InterruptedException | RuntimeException e) {
      if (!ticket.isGranted()) {
        end(line, ticket); // else this JVM would renew a call nobody waits for, and it would take a slot
      }
      throw e;
    } finally {
      line.lock.unlock();
    }
  }

  /** Frees the call's slot; like {@link #cancel}, it also takes a call that was never admitted out of line. */
  @Override
  public void release(String project, Ticket ticket) {
    end(lines.get(project), ticket);
  }

  @Override
  public void cancel(String project, Ticket ticket) {
    end(lines.get(project), ticket);
  }

  /** Stops renewing this JVM's leases: its tickets expire in Redis as a dead worker's would. */
  @Override
  public void close() {
    renewer.shutdownNow();
  }

  private long pollLocked(Line line, String project, Ticket ticket) {
    if (ticket.isGranted()) {
      return 0;
    }
    if (System.nanoTime() >= line.quietUntilNanos) {
      dispatch(line, project);
    }
    return ticket.isGranted() ? 0 : Math.max(1, line.quietUntilNanos - System.nanoTime());
  }

  /** Asks Redis to admit what may go now, and learns which of this JVM's waiting tickets were admitted. */
  private void dispatch(Line line, String project) {
    List<Map.Entry<Ticket, Held>> asked = new ArrayList<>(line.waiting.entrySet());
    List<String> args = new ArrayList<>(List.of("dispatch", idleMillis()));
    asked.forEach(e -> args.add(e.getValue().id));
    List<Object> reply = store.run(SCRIPT, List.of(line.key), args);
    long now = System.nanoTime();
    long nextMicros = (Long) reply.get(0);
    long dropped = (Long) reply.get(1);
    if (dropped > 0) {
      LOG.atWarn().addKeyValue("project", project).addKeyValue("tickets", dropped)
          .log("dropped tickets whose worker stopped renewing their leases; their slots are free again");
    }
    boolean granted = false;
    for (int i = 0; i < asked.size(); i++) {
      Ticket ticket = asked.get(i).getKey();
      Held held = asked.get(i).getValue();
      long status = (Long) reply.get(2 + i);
      if (status == 1) {
        ticket.grantedNanos = now;
        line.waiting.remove(ticket);
        line.running.put(ticket, held);
        granted = true;
      } else if (status < 0) {
        KeyValuesInMdc.forTenant(LOG.atWarn(), held.tenant.id()).addKeyValue("project", project)
            .log("the admission store no longer knows a waiting call (lease lost or Redis restarted); it is put in line again");
        held.id = (String) store.run(SCRIPT, List.of(line.key),
            enqueueArgs(project, held.limits, held.tenant, ticket.cost)).get(0);
      }
    }
    long nextNanos = nextMicros < 0 ? Long.MAX_VALUE : TimeUnit.MICROSECONDS.toNanos(nextMicros);
    line.quietUntilNanos = now + Math.min(nextNanos, MAX_RECHECK.toNanos());
    if (granted) {
      line.changed.signalAll();
    }
  }

  private void end(Line line, Ticket ticket) {
    line.lock.lock();
    try {
      Held held = line.waiting.remove(ticket);
      if (held == null) {
        held = line.running.remove(ticket);
      }
      if (held == null) {
        return; // twice is harmless
      }
      ticket.released = ticket.isGranted();
      // No longer renewed from here on: should Redis not answer now, the lease frees the slot instead.
      store.runOnce(SCRIPT, List.of(line.key), List.of("drop", idleMillis(), held.id));
      line.quietUntilNanos = 0; // a freed slot may admit a waiting call at once
      line.changed.signalAll();
    } finally {
      line.lock.unlock();
    }
  }

  /** Keeps this JVM's tickets alive in Redis; runs on the renewer thread, never holding a lock over a call. */
  private void renewLeases() {
    for (Map.Entry<String, Line> entry : lines.entrySet()) {
      Line line = entry.getValue();
      Map<String, Ticket> held = new LinkedHashMap<>();
      line.lock.lock();
      try {
        line.waiting.forEach((ticket, h) -> held.put(h.id, ticket));
        line.running.forEach((ticket, h) -> held.put(h.id, ticket));
      } finally {
        line.lock.unlock();
      }
      if (held.isEmpty()) {
        continue;
      }
      List<String> args = new ArrayList<>(List.of("renew", idleMillis(), Long.toString(lease.toMillis())));
      args.addAll(held.keySet());
      try {
        List<Object> reply = store.run(SCRIPT, List.of(line.key), args);
        int i = 0;
        for (Ticket ticket : held.values()) {
          if ((Long) reply.get(i++) == 0 && ticket.isGranted()) {
            KeyValuesInMdc.forTenant(LOG.atWarn(), ticket.tenantId()).addKeyValue("project", entry.getKey())
                .log("a call's lease ran out while it was in flight: its slot was freed early");
          }
        }
      } catch (RuntimeException e) {
        // The next round tries again; a waiting ticket lost meanwhile is put in line again by dispatch.
        LOG.atWarn().setCause(e).addKeyValue("project", entry.getKey()).log("could not renew admission leases");
      }
    }
  }

  private List<String> enqueueArgs(String project, ModelConfig.@Nullable ProjectLimits limits, TenantConfig tenant,
      CallCost cost) {
    TenantConfig.Quota quota = tenant.quota();
    List<String> args = new ArrayList<>(List.of("enqueue", idleMillis(), project,
        text(limits == null ? null : limits.requestsPerMinute())));
    addShape(args, limits == null || limits.requestsPerMinute() == null
        ? null : BucketShape.windowSafe(limits.requestsPerMinute()));
    addShape(args, limits == null || limits.tokensPerMinute() == null
        ? null : BucketShape.windowSafe(limits.tokensPerMinute()));
    args.add(tenant.id());
    addShape(args, BucketShape.tenantRequests(quota));
    addShape(args, BucketShape.tenantAudio(quota));
    args.add(text(quota.callsInFlight()));
    args.add(Double.toString(quota.weight()));
    args.add(Long.toString(cost.tokens()));
    args.add(Long.toString(cost.audioMillis()));
    args.add(Double.toString(cost.finishIncrement(limits, quota.weight())));
    args.add(Long.toString(lease.toMillis()));
    return args;
  }

  private static void addShape(List<String> args, @Nullable BucketShape shape) {
    args.add(shape == null ? "" : Long.toString(shape.capacity()));
    args.add(shape == null ? "" : Long.toString(shape.refillPerMinute()));
  }

  private static String text(@Nullable Number value) {
    return value == null ? "" : value.toString();
  }

  private static String idleMillis() {
    return Long.toString(IDLE_STATE.toMillis());
  }

  /**
   * The holder's keys in Redis: a hash of its name (which may hold a secret reference and any character) inside
   * braces, so that all its keys share one Redis Cluster slot.
   */
  private String holderKey(String project) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(project.getBytes(StandardCharsets.UTF_8));
      return store.endpoint().keyPrefix() + ":adm:{" + HexFormat.of().formatHex(digest, 0, 8) + "}";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
