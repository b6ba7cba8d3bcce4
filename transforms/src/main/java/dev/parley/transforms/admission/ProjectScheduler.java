package dev.parley.transforms.admission;

import dev.parley.tenant.ModelConfig;
import dev.parley.tenant.TenantConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Admission for every call that spends one Gemini project's quota (one model), across the tenants that use it.
 * Not thread-safe: {@link LocalAdmission} serialises access.
 *
 * <p>Each tenant has its own buckets (requests per minute with a burst, audio seconds per minute) and a cap on
 * calls in flight. The project has buckets for its real requests- and tokens-per-minute quota, sized so that no
 * sliding minute can hold more than the quota: a bucket of capacity C refills at (limit - C) per minute, so C +
 * one minute's refill never exceeds the limit, and the service never answers 429.
 *
 * <p>When the project is the binding limit, it is shared by weight among the tenants that have work, and only
 * among them (work-conserving): waiting calls are ordered by start-time fair queueing, tenants under their
 * weighted share first. Half of the project's burst is kept in reserve for quiet tenants: under their share, with
 * no more calls waiting than their own burst. A backlogged tenant, even one under its share for the moment (its
 * grants hover around it), catches up from the bucket's refill and never empties the reserve. A quiet tenant
 * therefore never waits behind a noisy one, and the noisy one still gets everything the others leave.
 */
public final class ProjectScheduler {
  /** Grants in this window decide whether a tenant is under its share. */
  static final long SHARE_WINDOW_NANOS = Duration.ofSeconds(10).toNanos();
  private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();
  private static final long SECOND_NANOS = Duration.ofSeconds(1).toNanos();

  private final LongSupplier clock;
  private final TimeMeter meter;
  private final Map<String, TenantState> tenants = new HashMap<>();
  private final TreeSet<Ticket> waiting =
      new TreeSet<>(Comparator.comparingDouble((Ticket t) -> t.startTag).thenComparingLong(t -> t.sequence));
  private ModelConfig.@Nullable ProjectLimits limits;
  private @Nullable Limited requests;
  private @Nullable Limited tokens;
  private double virtualTime;
  private long sequence;

  /** A bucket and the capacity it was built with (Bucket4j does not report capacity back). */
  private record Limited(Bucket bucket, long capacity) {}

  private static final class TenantState {
    TenantConfig.Quota quota;
    Bucket requests;
    @Nullable Bucket audio;
    long audioCapacity;
    int inFlight;
    double lastFinishTag;
    /** When the tenant last started having work after a quiet spell: a new tenant's rate counts from here. */
    long activeSinceNanos;
    final Deque<Long> recentGrants = new ArrayDeque<>();

    TenantState(TenantConfig.Quota quota) {
      this.quota = quota;
    }
  }

  /** What {@link #dispatch} decided: nanos until something may change without a release (MAX_VALUE: none). */
  public record Dispatch(List<Ticket> granted, long nextCheckNanos) {}

  public ProjectScheduler(ModelConfig.@Nullable ProjectLimits limits, LongSupplier nanoClock) {
    this.clock = nanoClock;
    this.meter = new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        return clock.getAsLong();
      }

      @Override
      public boolean isWallClockBased() {
        return false;
      }
    };
    configure(limits);
  }

  /** Applies new project limits (from a reloaded config) without losing the tokens already accrued. */
  public void configure(ModelConfig.@Nullable ProjectLimits next) {
    if (Objects.equals(next, limits) && (next != null || requests == null)) {
      return;
    }
    limits = next;
    requests = windowSafe(requests, next == null ? null : toLong(next.requestsPerMinute()));
    tokens = windowSafe(tokens, next == null ? null : next.tokensPerMinute());
  }

  /** Puts a call in line. The tenant's quota is taken from this config, so a change applies at once. */
  public Ticket enqueue(TenantConfig tenant, CallCost cost) {
    TenantState state = tenant(tenant);
    long now = clock.getAsLong();
    if (state.recentGrants.isEmpty() && waiting.stream().noneMatch(t -> t.tenantId.equals(tenant.id()))) {
      state.activeSinceNanos = now;
    }
    double start = Math.max(virtualTime, state.lastFinishTag);
    double finish = start + cost.finishIncrement(limits, tenant.quota().weight());
    state.lastFinishTag = finish;
    Ticket ticket = new Ticket(tenant.id(), cost, sequence++, now, start, finish);
    waiting.add(ticket);
    return ticket;
  }

  /** Takes a call out of line without admitting it (its caller gave up). */
  public void cancel(Ticket ticket) {
    waiting.remove(ticket);
  }

  /**
   * The call is over, or abandoned: frees its place among the tenant's calls in flight, or takes it out of line
   * if it was never admitted.
   */
  public void release(Ticket ticket) {
    if (!ticket.isGranted()) {
      waiting.remove(ticket);
    } else if (!ticket.released) {
      ticket.released = true;
      TenantState state = tenants.get(ticket.tenantId);
      if (state != null) {
        state.inFlight--;
      }
    }
  }

  public int waitingCount() {
    return waiting.size();
  }

  /**
   * Admits every waiting call that can go now, tenants under their share first, then in fair-queueing order.
   * A tenant blocked by its own limits does not hold up the others.
   */
  public Dispatch dispatch() {
    long now = clock.getAsLong();
    List<Ticket> granted = new ArrayList<>();
    long next = Long.MAX_VALUE;
    Map<String, Boolean> underShare = shares(now);
    Map<String, Integer> inLine = new HashMap<>();
    waiting.forEach(t -> inLine.merge(t.tenantId, 1, Integer::sum));
    List<Ticket> order = new ArrayList<>(waiting);
    order.sort(Comparator.comparing((Ticket t) -> !underShare.getOrDefault(t.tenantId, true))
        .thenComparingDouble(t -> t.startTag).thenComparingLong(t -> t.sequence));
    for (Ticket ticket : order) {
      TenantState tenant = tenants.get(ticket.tenantId);
      long tenantWait = tenantWait(tenant, ticket.cost);
      if (tenantWait != 0) {
        next = Math.min(next, tenantWait);
        continue;
      }
      boolean under = underShare.getOrDefault(ticket.tenantId, true);
      boolean quiet = under && inLine.get(ticket.tenantId) <= tenant.quota.burst();
      long projectWait = Math.max(wait(requests, 1, quiet), wait(tokens, ticket.cost.tokens(), quiet));
      if (projectWait != 0) {
        next = Math.min(next, projectWait);
        if (under) {
          continue; // A smaller call of another quiet tenant may still fit.
        }
        break; // Over-share calls go strictly in fair-queueing order.
      }
      take(requests, 1);
      take(tokens, ticket.cost.tokens());
      tenant.requests.consumeIgnoringRateLimits(1);
      if (tenant.audio != null) {
        tenant.audio.consumeIgnoringRateLimits(ticket.cost.audioMillis());
      }
      tenant.inFlight++;
      tenant.recentGrants.addLast(now);
      ticket.grantedNanos = now;
      virtualTime = Math.max(virtualTime, ticket.startTag);
      waiting.remove(ticket);
      inLine.merge(ticket.tenantId, -1, Integer::sum);
      granted.add(ticket);
    }
    return new Dispatch(granted, next);
  }

  /**
   * Which tenants are under their weighted share of the project's request rate, among those with work (waiting
   * or granted within the share window). A tenant's rate is its grants over the window, or over the time since
   * it became active if that is shorter (at least a second), so a newcomer that starts at full speed counts as
   * over its share at once. Without a project request limit every tenant is under.
   */
  private Map<String, Boolean> shares(long now) {
    Map<String, Boolean> under = new HashMap<>();
    if (requests == null) {
      return under;
    }
    double totalWeight = 0;
    Map<String, Double> active = new HashMap<>();
    for (Map.Entry<String, TenantState> entry : tenants.entrySet()) {
      Deque<Long> grants = entry.getValue().recentGrants;
      while (!grants.isEmpty() && grants.peekFirst() < now - SHARE_WINDOW_NANOS) {
        grants.pollFirst();
      }
      boolean hasWork = !grants.isEmpty() || waiting.stream().anyMatch(t -> t.tenantId.equals(entry.getKey()));
      if (hasWork) {
        active.put(entry.getKey(), entry.getValue().quota.weight());
        totalWeight += entry.getValue().quota.weight();
      }
    }
    double projectPerNano = limits.requestsPerMinute() / (double) MINUTE_NANOS;
    for (Map.Entry<String, Double> entry : active.entrySet()) {
      TenantState state = tenants.get(entry.getKey());
      long elapsed = Math.min(SHARE_WINDOW_NANOS, Math.max(SECOND_NANOS, now - state.activeSinceNanos));
      double share = projectPerNano * elapsed * entry.getValue() / totalWeight;
      under.put(entry.getKey(), state.recentGrants.size() < share);
    }
    return under;
  }

  /** Nanos until the tenant's own limits allow the call (0: now); MAX_VALUE when only a release will help. */
  private static long tenantWait(TenantState tenant, CallCost cost) {
    Integer maxInFlight = tenant.quota.callsInFlight();
    if (maxInFlight != null && tenant.inFlight >= maxInFlight) {
      return Long.MAX_VALUE;
    }
    long wait = estimate(tenant.requests, 1);
    if (tenant.audio != null) {
      wait = Math.max(wait, estimate(tenant.audio, Math.min(cost.audioMillis(), tenant.audioCapacity)));
    }
    return wait;
  }

  /**
   * Nanos until the project bucket can give {@code amount}, keeping half its capacity in reserve unless the
   * tenant is quiet. A call larger than what may be taken at once waits for that much, then runs the bucket into
   * debt, which later refill pays back: the rate still holds.
   */
  private static long wait(@Nullable Limited limited, long amount, boolean quiet) {
    if (limited == null) {
      return 0;
    }
    long reserve = quiet ? 0 : limited.capacity() / 2;
    long need = Math.min(amount, limited.capacity() - reserve) + reserve;
    return estimate(limited.bucket(), Math.max(1, need));
  }

  private static long estimate(Bucket bucket, long amount) {
    return bucket.estimateAbilityToConsume(amount).getNanosToWaitForRefill();
  }

  private static void take(@Nullable Limited limited, long amount) {
    if (limited != null) {
      limited.bucket().consumeIgnoringRateLimits(amount);
    }
  }

  private TenantState tenant(TenantConfig tenant) {
    TenantConfig.Quota quota = tenant.quota();
    TenantState state = tenants.get(tenant.id());
    if (state == null) {
      state = new TenantState(quota);
      state.requests = bucket(BucketShape.tenantRequests(quota).bandwidth());
      tenants.put(tenant.id(), state);
      configureAudio(state, quota);
      return state;
    }
    if (!state.quota.equals(quota)) {
      state.requests.replaceConfiguration(
          BucketConfiguration.builder().addLimit(BucketShape.tenantRequests(quota).bandwidth()).build(),
          TokensInheritanceStrategy.PROPORTIONALLY);
      state.quota = quota;
      configureAudio(state, quota);
    }
    return state;
  }

  private void configureAudio(TenantState state, TenantConfig.Quota quota) {
    BucketShape shape = BucketShape.tenantAudio(quota);
    if (shape == null) {
      state.audio = null;
      return;
    }
    if (state.audio == null) {
      state.audio = bucket(shape.bandwidth());
    } else {
      state.audio.replaceConfiguration(BucketConfiguration.builder().addLimit(shape.bandwidth()).build(),
          TokensInheritanceStrategy.PROPORTIONALLY);
    }
    state.audioCapacity = shape.capacity();
  }

  /** A {@link BucketShape#windowSafe} bucket for the limit, keeping the tokens of the current one. */
  private @Nullable Limited windowSafe(@Nullable Limited current, @Nullable Long perMinute) {
    if (perMinute == null) {
      return null;
    }
    BucketShape shape = BucketShape.windowSafe(perMinute);
    long capacity = shape.capacity();
    Bandwidth bandwidth = shape.bandwidth();
    if (current == null) {
      return new Limited(bucket(bandwidth), capacity);
    }
    current.bucket().replaceConfiguration(BucketConfiguration.builder().addLimit(bandwidth).build(),
        TokensInheritanceStrategy.PROPORTIONALLY);
    return new Limited(current.bucket(), capacity);
  }

  private Bucket bucket(Bandwidth bandwidth) {
    return Bucket.builder().addLimit(bandwidth).withCustomTimePrecision(meter).build();
  }

  private static @Nullable Long toLong(@Nullable Integer value) {
    return value == null ? null : value.longValue();
  }
}
