package dev.parley.transforms.admission;

import dev.parley.tenant.ModelConfig;
import dev.parley.tenant.TenantConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The daily caps counted in Redis, so every worker of every job that names the same {@link RedisEndpoint} counts
 * against one total. One counter per tenant and UTC day, one per quota holder and Pacific day, checked and counted
 * together by a Lua script ({@code daily_quota.lua}); each lives two days, past any time zone's end of its day.
 * The day is the caller's (workers' clocks are kept by NTP), so the same instant counts towards the same day on
 * every backend. All counters share one Redis Cluster slot: one script reads both, and there is one call per
 * recording. When Redis cannot be reached, this fails closed like admission ({@link AdmissionStore}).
 */
public final class RedisDailyQuota implements DailyCaps {
  static final Duration KEEP = Duration.ofDays(2);
  private static final RedisScript SCRIPT = RedisScript.resource("daily_quota.lua");
  private static final Map<RedisEndpoint, RedisDailyQuota> SHARED = new ConcurrentHashMap<>();

  private final AdmissionStore store;

  RedisDailyQuota(AdmissionStore store) {
    this.store = store;
  }

  /** The JVM's daily caps for this endpoint, created on first use. */
  public static RedisDailyQuota shared(RedisEndpoint endpoint) {
    return SHARED.computeIfAbsent(endpoint, e -> new RedisDailyQuota(AdmissionStore.shared(e)));
  }

  @Override
  public Optional<OverCap> reserve(TenantConfig tenant, QuotaHolder holder, ModelConfig.@Nullable ProjectLimits limits,
      long audioMillis, Instant now) {
    return evaluate(tenant, holder, limits, audioMillis, now, true);
  }

  @Override
  public Optional<OverCap> check(TenantConfig tenant, QuotaHolder holder, ModelConfig.@Nullable ProjectLimits limits,
      long audioMillis, Instant now) {
    return evaluate(tenant, holder, limits, audioMillis, now, false);
  }

  private Optional<OverCap> evaluate(TenantConfig tenant, QuotaHolder holder,
      ModelConfig.@Nullable ProjectLimits limits, long audioMillis, Instant now, boolean commit) {
    String prefix = store.endpoint().keyPrefix() + ":{daily}:";
    Long minutes = tenant.quota().audioMinutesPerDay();
    Integer perDay = limits == null ? null : limits.requestsPerDay();
    List<Object> used = store.run(SCRIPT,
        List.of(prefix + "tenant:" + tenant.id() + ":" + OverCap.tenantDay(now),
            prefix + "project:" + holder.key() + ":" + OverCap.projectDay(now)),
        List.of(Long.toString(audioMillis), minutes == null ? "" : Long.toString(minutes * 60_000),
            perDay == null ? "" : perDay.toString(), Long.toString(KEEP.toSeconds()), commit ? "1" : "0"));
    return OverCap.judge(tenant, holder, limits, audioMillis, now, (Long) used.get(0), (Long) used.get(1));
  }
}
